/** A relay process for the chaos test: publishes `chaos_src.outbox`. */
import { createPool } from '@midas/db';
import { createLogger } from '@midas/observability';
import { Broker, OutboxRelay } from '@midas/messaging';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const logger = createLogger('chaos-relay', 'info');
  const pool = createPool(env.DATABASE_URL!, { max: 4 });
  const broker = await Broker.connect({
    url: env.AMQP_URL!,
    namespace: env.MIDAS_NAMESPACE!,
    service: 'chaos-relay',
    logger,
  });
  const relay = new OutboxRelay({
    pool,
    schema: 'chaos_src',
    broker,
    logger,
    source: 'chaos',
    batchSize: 200,
  });
  relay.start();
  logger.info('relay ready');
  process.on('SIGTERM', () => {
    void relay.stop().then(() => broker.close().then(() => pool.end().then(() => process.exit(0))));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`relay failed: ${String(err)}\n`);
  process.exit(1);
});
