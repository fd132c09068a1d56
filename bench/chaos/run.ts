/**
 * `npm run chaos [-- --duration <s>] [--seed <n>]`: the whole system under faults (see
 * bench/chaos/README.md). Prints the faults injected, the operations attempted and completed and
 * each invariant's violations; exits 1 on any violation, 2 when the soak could not run.
 */
import { parseArgs } from 'node:util';
import { formatResult, runSoak } from './soak';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { duration: { type: 'string' }, seed: { type: 'string' } },
  });
  const durationS = values.duration === undefined ? 300 : Number(values.duration);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isInteger(durationS) || durationS < 30 || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write(
      'usage: npm run chaos -- [--duration <seconds, at least 30>] [--seed <non-negative integer>]\n',
    );
    return 2;
  }
  const result = await runSoak({ durationS, seed });
  process.stdout.write(`${formatResult(result)}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
