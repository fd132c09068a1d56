/** A consumer process for the chaos test: applies each `chaos.counted` event once, logs every outcome (debug) on stdout. */
import { z } from 'zod';
import { createPool, sql } from '@midas/db';
import { createLogger } from '@midas/observability';
import { Broker } from '@midas/messaging';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const logger = createLogger('chaos-consumer', 'debug');
  const pool = createPool(env.DATABASE_URL!, { max: 10 });
  const broker = await Broker.connect({
    url: env.AMQP_URL!,
    namespace: env.MIDAS_NAMESPACE!,
    service: 'chaos',
    logger,
  });
  await broker.consume({
    purpose: 'effects',
    pool,
    schema: 'chaos_dst',
    prefetch: 32,
    // Every kill returns the messages in flight and counts as a delivery; keep room for that.
    maxAttempts: 25,
    retryDelayMs: { base: 50, max: 1000 },
    handlers: {
      'chaos.counted': {
        schema: z.object({ n: z.number().int() }),
        handle: async (data, tx) => {
          await tx.execute(sql`INSERT INTO chaos_dst.effects (n) VALUES (${data.n})`);
        },
      },
    },
  });
  logger.info('consumer ready');
  process.on('SIGTERM', () => {
    void broker.close().then(() => pool.end().then(() => process.exit(0)));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`consumer failed: ${String(err)}\n`);
  process.exit(1);
});
