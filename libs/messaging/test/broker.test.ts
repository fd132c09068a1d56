import { Writable } from 'node:stream';
import { z } from 'zod';
import amqp from 'amqplib';
import { sql } from '@midas/db';
import { eventually } from '@midas/testing';
import { createLogger } from '@midas/observability';
import { Broker, enqueueEvent, OutboxRelay } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('broker-test', 'debug', stream), lines };
}

describe('broker resilience', () => {
  let m: MessagingEnv;

  beforeAll(async () => {
    m = await messagingEnv(['replicated', 'sink']);
    await m.pool.query('CREATE TABLE sink.effects (n int NOT NULL)');
  });
  afterAll(() => m.close());

  it('fails start-up with one clear line when RabbitMQ is not reachable', async () => {
    const started = Date.now();
    const err = await Broker.connect({
      url: 'amqp://guest:guest@127.0.0.1:1',
      namespace: m.env.namespace,
      service: 'x',
      logger: m.logger,
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/RabbitMQ is not reachable at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('shares one outbox between two relay replicas without publishing a row twice', async () => {
    const consumerBroker = await m.connect('sink');
    const counted = z.object({ n: z.number().int() });
    const consumer = await consumerBroker.consume({
      purpose: 'replicated',
      pool: m.pool,
      schema: 'sink',
      prefetch: 32,
      handlers: {
        'test.replicated': {
          schema: counted,
          handle: (data, tx) => tx.execute(sql`INSERT INTO sink.effects (n) VALUES (${data.n})`),
        },
      },
    });
    m.queues.push(consumer.queue);
    const relays = [await m.connect('replicated'), await m.connect('replicated')].map(
      (broker) =>
        new OutboxRelay({
          pool: m.pool,
          schema: 'replicated',
          broker,
          logger: m.logger,
          source: 'replicated',
          batchSize: 50,
        }),
    );
    relays.forEach((r) => r.start());
    try {
      for (let batch = 0; batch < 20; batch++) {
        await m.db.transaction(async (tx) => {
          for (let i = 0; i < 100; i++)
            await enqueueEvent(tx, 'replicated', { type: 'test.replicated', data: { n: batch * 100 + i } });
        });
      }
      await eventually(async () => consumer.stats.handled === 2000, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(consumer.stats.duplicates).toBe(0);
      expect(relays[0]!.publishedCount + relays[1]!.publishedCount).toBe(2000);
      expect(relays[0]!.publishedCount).toBeGreaterThan(0);
      expect(relays[1]!.publishedCount).toBeGreaterThan(0);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await consumer.stop();
    }
  });

  it('survives a channel error: the consumer retries its queue and recovers once the conflict is gone', async () => {
    const { logger, lines } = memoryLogger();
    const broker = await m.connect('conflicted', logger);
    const queue = broker.names.consumerQueue('conflicted', 'events');
    m.queues.push(queue);
    // Someone declared the queue with other arguments: declaring ours fails with PRECONDITION_FAILED.
    const connection = await amqp.connect(m.env.cfg.AMQP_URL);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    const seen: number[] = [];
    const consumer = await broker.consume({
      purpose: 'events',
      pool: m.pool,
      schema: 'sink',
      handlers: {
        'test.conflicted': { schema: z.object({ n: z.number() }), handle: (data) => void seen.push(data.n) },
      },
    });
    await eventually(async () => lines.some((l) => l.msg === 'could not open channel; retrying'));
    expect(broker.connected).toBe(true);

    await channel.deleteQueue(queue);
    // The consumer's own retry declares its queue and starts consuming.
    await eventually(
      async () => {
        const probe = await connection.createChannel();
        probe.on('error', () => undefined);
        const found = await probe.checkQueue(queue).catch(() => undefined);
        await probe.close().catch(() => undefined);
        return found && found.consumerCount === 1;
      },
      20_000,
      200,
    );
    await connection.close();
    const relay = new OutboxRelay({
      pool: m.pool,
      schema: 'replicated',
      broker,
      logger: m.logger,
      source: 'replicated',
    });
    relay.start();
    await enqueueEvent(m.db, 'replicated', { type: 'test.conflicted', data: { n: 1 } });
    await eventually(async () => seen.length > 0, 20_000);
    expect(seen).toEqual([1]);
    await relay.stop();
    await consumer.stop();
  });
});
