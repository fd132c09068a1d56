/**
 * Events per second through outbox -> relay -> inbox consumer, as a ratio of raw amqplib
 * publish-with-confirms -> consume measured in the same run against the same broker.
 *
 *   node --import tsx bench/messaging/outbox-throughput.ts        (BENCH_EVENTS=5000 by default)
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { z } from 'zod';
import { createDb, createPool, sql } from '@midas/db';
import { createLogger } from '@midas/observability';
import { Broker, enqueueEvent, migrateMessaging, OutboxRelay } from '@midas/messaging';
import { AMQP_URL, createTestDatabase, uniqueName } from '@midas/testing';

const EVENTS = Math.min(100_000, Math.max(100, Number(process.env.BENCH_EVENTS ?? 5000)));
const BATCH = 200;
const PREFETCH = 32;

/** Baseline: publish in batches of 200 with confirms to a quorum queue, consume and ack each. */
async function rawAmqplib(namespace: string): Promise<number> {
  const connection = await amqp.connect(AMQP_URL);
  const queue = `${namespace}raw`;
  try {
    const setup = await connection.createChannel();
    await setup.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const consumer = await connection.createChannel();
    await consumer.prefetch(PREFETCH);
    let received = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    await consumer.consume(queue, (msg) => {
      if (!msg) return;
      JSON.parse(msg.content.toString('utf8'));
      consumer.ack(msg);
      if (++received === EVENTS) finish();
    });
    const publisher = await connection.createConfirmChannel();
    const started = performance.now();
    for (let sent = 0; sent < EVENTS; sent += BATCH) {
      for (let i = sent; i < Math.min(EVENTS, sent + BATCH); i++) {
        const body = {
          id: randomUUID(),
          type: 'bench.counted',
          version: 1,
          occurredAt: new Date().toISOString(),
          source: 'bench',
          data: { n: i },
        };
        publisher.publish('', queue, Buffer.from(JSON.stringify(body)), { persistent: true });
      }
      await publisher.waitForConfirms();
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    await setup.deleteQueue(queue);
    return EVENTS / seconds;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const namespace = `${uniqueName('bench')}-`;
  const pool = createPool(database.url, { max: 12 });
  const logger = createLogger('bench', 'warn');
  const db = createDb(pool, {});
  const brokers: Broker[] = [];
  try {
    const baseline = await rawAmqplib(namespace);

    await migrateMessaging(pool, 'bench_src');
    await migrateMessaging(pool, 'bench_dst');
    await pool.query('CREATE TABLE bench_dst.effects (n int NOT NULL)');
    const producer = await Broker.connect({ url: AMQP_URL, namespace, service: 'bench-src', logger });
    const consumerBroker = await Broker.connect({ url: AMQP_URL, namespace, service: 'bench', logger });
    brokers.push(producer, consumerBroker);

    let handled = 0;
    let target = EVENTS;
    let reached: () => void = () => undefined;
    let done = new Promise<void>((resolve) => (reached = resolve));
    const consumer = await consumerBroker.consume({
      purpose: 'effects',
      pool,
      schema: 'bench_dst',
      prefetch: PREFETCH,
      handlers: {
        'bench.counted': {
          schema: z.object({ n: z.number().int() }),
          handle: async (data, tx) => {
            await tx.execute(sql`INSERT INTO bench_dst.effects (n) VALUES (${data.n})`);
            if (++handled === target) reached();
          },
        },
      },
    });

    const write = async (from: number) => {
      for (let sent = 0; sent < EVENTS; sent += BATCH) {
        await db.transaction(async (tx) => {
          for (let i = sent; i < Math.min(EVENTS, sent + BATCH); i++) {
            await enqueueEvent(tx, 'bench_src', { type: 'bench.counted', data: { n: from + i } });
          }
        });
      }
    };

    // Relay alone: outbox rows -> confirmed by the broker into a quorum queue nobody consumes yet.
    await migrateMessaging(pool, 'bench_relay');
    const sinkConnection = await amqp.connect(AMQP_URL);
    const sink = await sinkConnection.createChannel();
    const sinkQueue = `${namespace}relay-sink`;
    await sink.assertQueue(sinkQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await sink.bindQueue(sinkQueue, producer.names.events, 'bench.relayed');
    for (let sent = 0; sent < EVENTS; sent += BATCH) {
      await db.transaction(async (tx) => {
        for (let i = sent; i < Math.min(EVENTS, sent + BATCH); i++) {
          await enqueueEvent(tx, 'bench_relay', { type: 'bench.relayed', data: { n: i } });
        }
      });
    }
    const relayOnly = new OutboxRelay({
      pool,
      schema: 'bench_relay',
      broker: producer,
      logger,
      source: 'bench',
      batchSize: BATCH,
    });
    const relayStarted = performance.now();
    relayOnly.start();
    while (relayOnly.publishedCount < EVENTS) await new Promise((r) => setTimeout(r, 5));
    const relayRate = EVENTS / ((performance.now() - relayStarted) / 1000);
    await relayOnly.stop();
    await sink.deleteQueue(sinkQueue);
    await sinkConnection.close();

    // Relay + consumer: the outbox is filled first, then the relay starts.
    await write(0);
    const relay = new OutboxRelay({
      pool,
      schema: 'bench_src',
      broker: producer,
      logger,
      source: 'bench',
      batchSize: BATCH,
    });
    let started = performance.now();
    relay.start();
    await done;
    const pipeline = EVENTS / ((performance.now() - started) / 1000);

    // End to end: writing the events in transactions while the relay and consumer run.
    target = 2 * EVENTS;
    done = new Promise<void>((resolve) => (reached = resolve));
    started = performance.now();
    await write(EVENTS);
    await done;
    const endToEnd = EVENTS / ((performance.now() - started) / 1000);
    await relay.stop();
    await consumer.stop();

    const amqpCleanup = await amqp.connect(AMQP_URL);
    const channel = await amqpCleanup.createChannel();
    await channel.deleteQueue(consumer.queue);
    await channel.deleteQueue(`${consumer.queue}.dlq`);
    await amqpCleanup.close();

    const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
    process.stdout.write(
      [
        `messaging throughput, ${EVENTS} events, batches of ${BATCH}, prefetch ${PREFETCH}`,
        `  baseline  raw amqplib publish-with-confirms -> consume:          ${fmt(baseline)} events/s`,
        `  outbox (prefilled) -> relay -> broker confirmed, no consumer:    ${fmt(relayRate)} events/s  (${(relayRate / baseline).toFixed(2)} x baseline)`,
        `  outbox (prefilled) -> relay -> inbox consumer with an effect:    ${fmt(pipeline)} events/s  (${(pipeline / baseline).toFixed(2)} x baseline)`,
        `  enqueue in transactions -> relay -> inbox consumer, end to end: ${fmt(endToEnd)} events/s  (${(endToEnd / baseline).toFixed(2)} x baseline)`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.allSettled(brokers.map((b) => b.close()));
    await pool.end();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
