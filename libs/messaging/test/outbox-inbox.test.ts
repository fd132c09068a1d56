import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import amqp from 'amqplib';
import { sql } from '@midas/db';
import { eventually } from '@midas/testing';
import { enqueueEvent, OutboxRelay, type Broker } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const noted = z.object({ n: z.number().int() });

describe('outbox -> relay -> inbox consumer', () => {
  let m: MessagingEnv;
  let producer: Broker;
  let consumerBroker: Broker;

  beforeAll(async () => {
    m = await messagingEnv(['producer', 'consumer']);
    await m.pool.query('CREATE TABLE consumer.effects (event_id uuid PRIMARY KEY, n int NOT NULL)');
    producer = await m.connect('producer');
    consumerBroker = await m.connect('consumer');
  });
  afterAll(() => m.close());

  it('delivers an event committed with its state change, and only after commit', async () => {
    const seen: number[] = [];
    const consumer = await consumerBroker.consume({
      purpose: 'notes',
      pool: m.pool,
      schema: 'consumer',
      handlers: {
        'test.noted': {
          schema: noted,
          handle: async (data, tx, envelope) => {
            seen.push(data.n);
            await tx.execute(
              sql`INSERT INTO consumer.effects (event_id, n) VALUES (${envelope.id}, ${data.n})`,
            );
          },
        },
      },
    });
    m.queues.push(consumer.queue);
    const relay = new OutboxRelay({
      pool: m.pool,
      schema: 'producer',
      broker: producer,
      logger: m.logger,
      source: 'producer',
    });
    relay.start();
    try {
      await m.db
        .transaction(async (tx) => {
          await enqueueEvent(tx, 'producer', { type: 'test.noted', data: { n: 1 } });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      const id = await m.db.transaction((tx) =>
        enqueueEvent(tx, 'producer', { type: 'test.noted', data: { n: 2 } }),
      );
      await eventually(
        async () => (await m.pool.query('SELECT 1 FROM consumer.effects WHERE event_id = $1', [id])).rowCount,
      );
      const sent = await m.pool.query('SELECT sent_at FROM producer.outbox WHERE id = $1', [id]);
      expect(sent.rows[0].sent_at).toBeInstanceOf(Date);
      expect(seen).toEqual([2]);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('wakes the relay on commit through NOTIFY instead of waiting for its next poll', async () => {
    const seen: number[] = [];
    const consumer = await consumerBroker.consume({
      purpose: 'prompt',
      pool: m.pool,
      schema: 'consumer',
      handlers: { 'test.prompt': { schema: noted, handle: (data) => void seen.push(data.n) } },
    });
    m.queues.push(consumer.queue);
    const relay = new OutboxRelay({
      pool: m.pool,
      schema: 'producer',
      broker: producer,
      logger: m.logger,
      source: 'producer',
      pollIntervalMs: 60_000,
    });
    relay.start();
    try {
      // Let the relay drain and settle into its (minute-long) idle wait.
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      await enqueueEvent(m.db, 'producer', { type: 'test.prompt', data: { n: 1 } });
      await eventually(async () => seen.length === 1, 10_000, 10);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('gives a redelivered event no second effect and counts it as a duplicate', async () => {
    const consumer = await consumerBroker.consume({
      purpose: 'dupes',
      pool: m.pool,
      schema: 'consumer',
      handlers: {
        'test.duplicated': {
          schema: noted,
          handle: async (data, tx, envelope) => {
            await tx.execute(
              sql`INSERT INTO consumer.effects (event_id, n) VALUES (${envelope.id}, ${data.n})`,
            );
          },
        },
      },
    });
    m.queues.push(consumer.queue);
    const envelope = {
      id: randomUUID(),
      type: 'test.duplicated',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'test',
      data: { n: 7 },
    };
    const connection = await amqp.connect(m.env.cfg.AMQP_URL);
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < 3; i++)
      channel.publish(producer.names.events, 'test.duplicated', Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
      });
    await channel.waitForConfirms();
    await connection.close();
    await eventually(async () => consumer.stats.handled + consumer.stats.duplicates === 3);
    expect(consumer.stats).toMatchObject({ handled: 1, duplicates: 2 });
    const effects = await m.pool.query('SELECT n FROM consumer.effects WHERE event_id = $1', [envelope.id]);
    expect(effects.rows).toEqual([{ n: 7 }]);
    await consumer.stop();
  });

  it('refuses to store an event whose payload breaks its contract schema', async () => {
    await expect(
      enqueueEvent(m.db, 'producer', { type: 'hold.expired', data: { holdId: 'not-a-uuid' } as never }),
    ).rejects.toThrow();
    const rows = await m.pool.query(`SELECT 1 FROM producer.outbox WHERE type = 'hold.expired'`);
    expect(rows.rowCount).toBe(0);
  });
});
