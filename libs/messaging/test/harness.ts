/** Shared set-up for the messaging tests: a test env, a pool with the messaging tables, brokers. */
import { createTestEnv, deleteQueues, withDeadLetters, type TestEnv } from '@midas/testing';
import { createDb, createPool, type Pool } from '@midas/db';
import { createLogger, type Logger } from '@midas/observability';
import { Broker, migrateMessaging, type BrokerOptions } from '@midas/messaging';

export interface MessagingEnv {
  env: TestEnv;
  pool: Pool;
  db: ReturnType<typeof createDb>;
  logger: Logger;
  brokers: Broker[];
  connect: (service: string, logger?: Logger, extra?: Partial<BrokerOptions>) => Promise<Broker>;
  /** Queues to delete at the end (consumer queues bring their dead-letter queue along). */
  queues: string[];
  close: () => Promise<void>;
}

export async function messagingEnv(schemas: string[]): Promise<MessagingEnv> {
  const env = await createTestEnv();
  const pool = createPool(env.cfg.DATABASE_URL, { max: 8 });
  for (const schema of schemas) await migrateMessaging(pool, schema);
  const logger = createLogger('test', 'silent');
  const brokers: Broker[] = [];
  const queues: string[] = [];
  return {
    queues,
    env,
    pool,
    db: createDb(pool, {}),
    logger,
    brokers,
    async connect(service, log = logger, extra = {}) {
      const broker = await Broker.connect({
        url: env.cfg.AMQP_URL,
        namespace: env.namespace,
        service,
        logger: log,
        ...extra,
      });
      brokers.push(broker);
      return broker;
    },
    async close() {
      await Promise.allSettled(brokers.map((b) => b.close()));
      await pool.end();
      await deleteQueues(env.cfg.AMQP_URL, withDeadLetters(queues));
      await env.cleanup();
    },
  };
}
