/**
 * The chaos soak, one minute long (jest project `chaos`, run by `npm test`; needs `npm run build`):
 * private PostgreSQL, Redis and RabbitMQ, the stack with two booking and two availability
 * processes, the seeded workload and faults, and every invariant at zero. The seed is fixed so a
 * failure replays with `npm run chaos -- --seed <seed> --duration 60`; CHAOS_SEED overrides it.
 */
import { formatResult, runSoak } from '../soak';

const SEED = Number(process.env.CHAOS_SEED ?? 18);

it(
  'a minute of mixed load under process kills, broker, Redis and PostgreSQL restarts leaves every invariant at zero',
  async () => {
    const lines: string[] = [];
    const result = await runSoak({ durationS: 60, seed: SEED, say: (line) => lines.push(line) });
    const report = formatResult(result);
    process.stdout.write(`${report}\n`);
    expect(result.faults.get('process kill') ?? 0).toBeGreaterThanOrEqual(3);
    expect(result.faults.get('rabbitmq restart')).toBe(1);
    expect(result.faults.get('redis flush + restart')).toBe(1);
    expect(result.faults.get('postgresql restart')).toBe(1);
    expect(result.faultFailures).toEqual([]);
    const completed = [...result.ops.values()].reduce((n, c) => n + c.completed, 0);
    expect(completed).toBeGreaterThan(10);
    expect(
      result.invariants
        .filter((v) => v.violations.length > 0)
        .map((v) => `${v.name}: ${v.violations.join('; ')}`),
    ).toEqual([]);
  },
  20 * 60_000,
);
