/** `npm run dlq -- list | show <queue> [--limit N] | replay <queue> [--limit N]`: the operator's view of dead letters. */
import { parseArgs } from 'node:util';
import { loadConfig } from '@midas/config';
import {
  deadLetterQueueName,
  listDeadLetterQueues,
  replayDeadLetters,
  showDeadLetters,
} from '../dead-letters';

const USAGE = `usage: npm run dlq -- list
       npm run dlq -- show <queue> [--limit N]
       npm run dlq -- replay <queue> [--limit N]
<queue> is a consumer queue such as booking.hold-events (or its .dlq); AMQP_URL and MIDAS_NAMESPACE are read from the environment.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, queue] = positionals;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    process.stderr.write('--limit must be a positive integer\n');
    return 64;
  }
  const cfg = loadConfig();
  const namespace = cfg.MIDAS_NAMESPACE;
  switch (command) {
    case 'list': {
      const queues = await listDeadLetterQueues(cfg.AMQP_URL, namespace);
      if (queues.length === 0) process.stdout.write('no dead-letter queues\n');
      const width = Math.max(5, ...queues.map((q) => q.queue.length));
      for (const q of queues) process.stdout.write(`${q.queue.padEnd(width)}  ${q.messages}\n`);
      return 0;
    }
    case 'show':
    case 'replay': {
      if (!queue) {
        process.stderr.write(`${USAGE}\n`);
        return 64;
      }
      const dlq = deadLetterQueueName(namespace, queue);
      if (command === 'show') {
        const letters = await showDeadLetters(cfg.AMQP_URL, dlq, limit ?? 20);
        if (letters.length === 0) process.stdout.write(`${dlq} is empty\n`);
        for (const letter of letters) process.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
      } else {
        const replayed = await replayDeadLetters(cfg.AMQP_URL, dlq, limit);
        process.stdout.write(`replayed ${replayed} message(s) from ${dlq} to ${dlq.replace(/\.dlq$/, '')}\n`);
      }
      return 0;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dlq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
