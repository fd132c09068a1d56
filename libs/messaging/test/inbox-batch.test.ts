import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import amqp from 'amqplib';
import { sql } from '@midas/db';
import { eventually } from '@midas/testing';
import type { Broker, Consumer, Envelope, EventHandler } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const counted = z.object({ n: z.number().int() });

describe('batched inbox transactions', () => {
  let m: MessagingEnv;
  let producer: Broker;
  let consumerBroker: Broker;

  beforeAll(async () => {
    m = await messagingEnv(['batched']);
    // The transaction each effect was written in, to count the transactions a batch took.
    await m.pool.query(
      'CREATE TABLE batched.effects (event_id uuid PRIMARY KEY, n int NOT NULL, xid bigint NOT NULL)',
    );
    producer = await m.connect('producer');
    consumerBroker = await m.connect('batched');
  });
  afterAll(() => m.close());

  const envelope = (type: string, n: number): Envelope => ({
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'test',
    data: { n },
  });
  const publish = async (envelopes: Envelope[]) => {
    const connection = await amqp.connect(m.env.cfg.AMQP_URL);
    const channel = await connection.createConfirmChannel();
    for (const e of envelopes)
      channel.publish(producer.names.events, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    await channel.waitForConfirms();
    await connection.close();
  };
  const effects = async (type: string) =>
    (
      await m.pool.query<{ n: number; xid: string }>(
        'SELECT e.n, e.xid FROM batched.effects e JOIN batched.inbox i ON i.event_id = e.event_id WHERE i.type = $1 ORDER BY e.n',
        [type],
      )
    ).rows;
  /** Writes its effect; `fails(n, call)` makes a call throw instead. */
  const handler = (
    calls: number[],
    fails: (n: number, call: number) => boolean = () => false,
  ): EventHandler => ({
    schema: counted,
    handle: async (data, tx, env) => {
      const { n } = data as z.output<typeof counted>;
      calls.push(n);
      await tx.execute(
        sql`INSERT INTO batched.effects (event_id, n, xid) VALUES (${env.id}, ${n}, txid_current())`,
      );
      if (fails(n, calls.filter((c) => c === n).length)) throw new Error(`event ${n} is poisoned`);
    },
  });
  const consume = async (type: string, h: EventHandler, batch: { max: number; waitMs: number }) => {
    const consumer = await consumerBroker.consume({
      purpose: type,
      pool: m.pool,
      schema: 'batched',
      handlers: { [type]: h },
      batch,
      prefetch: 32,
      maxAttempts: 3,
      retryDelayMs: { base: 50, max: 100 },
    });
    m.queues.push(consumer.queue);
    return consumer;
  };
  const settled = (c: Consumer, n: number) => async () =>
    c.stats.handled + c.stats.duplicates + c.stats.deadLettered >= n;

  it('handles events that arrive together in one transaction, committed once', async () => {
    const calls: number[] = [];
    const consumer = await consume('test.together', handler(calls), { max: 8, waitMs: 5000 });
    try {
      await publish([1, 2, 3, 4, 5, 6, 7, 8].map((n) => envelope('test.together', n)));
      await eventually(settled(consumer, 8));
      const rows = await effects('test.together');
      expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(rows.map((r) => r.xid)).size).toBe(1);
      expect(consumer.stats).toMatchObject({ handled: 8, duplicates: 0, retried: 0 });
    } finally {
      await consumer.stop();
    }
  });

  it('retries a poisoned event alone while the rest of its batch is handled once', async () => {
    const calls: number[] = [];
    const consumer = await consume(
      'test.poisoned',
      handler(calls, (n, call) => n === 3 && call === 1),
      { max: 5, waitMs: 5000 },
    );
    try {
      await publish([1, 2, 3, 4, 5].map((n) => envelope('test.poisoned', n)));
      await eventually(settled(consumer, 5), 30_000);
      const rows = await effects('test.poisoned');
      expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
      const others = rows.filter((r) => r.n !== 3);
      expect(new Set(others.map((r) => r.xid)).size).toBe(1);
      // Its first attempt was undone with its inbox row; its retry committed apart.
      expect(rows.find((r) => r.n === 3)!.xid).not.toBe(others[0]!.xid);
      expect(calls.filter((n) => n === 3)).toHaveLength(2);
      expect(calls.filter((n) => n !== 3).sort()).toEqual([1, 2, 4, 5]);
      expect(consumer.stats).toMatchObject({ handled: 5, retried: 1, deadLettered: 0 });
    } finally {
      await consumer.stop();
    }
  });

  it('skips redelivered duplicates inside a batch and events recorded before it', async () => {
    const calls: number[] = [];
    const consumer = await consume('test.repeated', handler(calls), { max: 6, waitMs: 5000 });
    try {
      const first = envelope('test.repeated', 1);
      await publish([first]);
      await eventually(settled(consumer, 1));
      const second = envelope('test.repeated', 2);
      const third = envelope('test.repeated', 3);
      await publish([first, second, second, third, second, third]);
      await eventually(settled(consumer, 7));
      expect(calls.sort()).toEqual([1, 2, 3]);
      expect(consumer.stats).toMatchObject({ handled: 3, duplicates: 4 });
      const rows = await effects('test.repeated');
      expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
      expect(rows[1]!.xid).toBe(rows[2]!.xid);
    } finally {
      await consumer.stop();
    }
  });

  it('commits a batch still waiting for more when the consumer stops', async () => {
    const calls: number[] = [];
    const consumer = await consume('test.stopping', handler(calls), { max: 10, waitMs: 60_000 });
    await publish([1, 2].map((n) => envelope('test.stopping', n)));
    // Both delivered (none left ready in the queue), both waiting in the open batch.
    const connection = await amqp.connect(m.env.cfg.AMQP_URL);
    const channel = await connection.createChannel();
    await eventually(async () => (await channel.checkQueue(consumer.queue)).messageCount === 0);
    await connection.close();
    expect(calls).toEqual([]);
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(consumer.stats).toMatchObject({ handled: 2 });
    expect((await effects('test.stopping')).map((r) => r.n)).toEqual([1, 2]);
  });
  it('runs afterCommit once the batch committed, with what the handler returned, and again for a duplicate', async () => {
    const calls: number[] = [];
    const seen: { n: number | undefined; committed: boolean; id: string }[] = [];
    let failOnce = true;
    const base = handler(calls);
    const consumer = await consume(
      'test.after',
      {
        ...base,
        handle: async (data, tx, env) => {
          await base.handle(data, tx, env);
          return (data as z.output<typeof counted>).n;
        },
        afterCommit: async (result, env) => {
          // Another connection sees the handler's effect: its transaction has committed.
          const { rowCount } = await m.pool.query('SELECT 1 FROM batched.effects WHERE event_id = $1', [
            env.id,
          ]);
          seen.push({ n: result as number | undefined, committed: rowCount === 1, id: env.id });
          if (result === 2 && failOnce) {
            failOnce = false;
            throw new Error('Redis is away');
          }
        },
      },
      { max: 3, waitMs: 5000 },
    );
    try {
      const events = [1, 2, 3].map((n) => envelope('test.after', n));
      await publish(events);
      await eventually(async () => seen.length >= 4, 30_000);
      // The handler ran once per event; its result reached afterCommit after the commit.
      expect(calls.sort()).toEqual([1, 2, 3]);
      expect(seen.every((s) => s.committed)).toBe(true);
      expect(
        seen
          .slice(0, 3)
          .map((s) => s.n)
          .sort(),
      ).toEqual([1, 2, 3]);
      // afterCommit failed for event 2: the event came back as a duplicate and it ran again, without a result.
      expect(seen[3]).toMatchObject({ n: undefined, id: events[1]!.id });
      await eventually(settled(consumer, 4));
      expect(consumer.stats).toMatchObject({ handled: 3, duplicates: 1, retried: 1, deadLettered: 0 });
    } finally {
      await consumer.stop();
    }
  });
});
