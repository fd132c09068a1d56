/**
 * Outbound webhook delivery: events per second from a booking outbox to a local HTTP receiver,
 * and the time from each event's commit to its arrival (p50, p99), next to the outbox relay's own
 * rate measured in the same run on the same broker and database:
 *   - relay alone: N booking.created rows in an outbox, relayed to RabbitMQ with confirms;
 *   - the webhook pipeline: outbox -> relay -> notification's webhooks consumer (inbox, delivery
 *     row, BullMQ job) -> signed POST -> receiver, with one and with three subscriptions.
 *
 *   npm run build && node --import tsx bench/webhooks/run.ts   (BENCH_EVENTS=500 by default)
 */
import { createDb } from '@midas/db';
import { Broker, enqueueEvent, migrateMessaging, OutboxRelay } from '@midas/messaging';
import { createLogger } from '@midas/observability';
import { bearer, signToken } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../../services/notification/test/support/harness';
import { startReceiver, type Receiver } from '../../services/notification/test/webhooks/support/receiver';

const EVENTS = Math.min(20_000, Math.max(50, Number(process.env.BENCH_EVENTS ?? 500)));
const BATCH = 50;

const fmt = (n: number) => n.toFixed(n >= 100 ? 0 : 1);
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function fillOutbox(h: Harness, schema: string, count: number): Promise<void> {
  const db = createDb(h.pool, {});
  for (let sent = 0; sent < count; sent += BATCH) {
    await db.transaction(async (tx) => {
      for (let i = sent; i < Math.min(count, sent + BATCH); i++) {
        await enqueueEvent(tx, schema, {
          type: 'booking.created',
          data: bookingSummary({ status: 'pending_payment' }),
        });
      }
    });
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const h = await startHarness(
    { WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'silent' },
    { webhooks: { concurrency: 16 } },
  );
  const logger = createLogger('bench', 'warn');
  const receivers: Receiver[] = [];
  const source = await Broker.connect({
    url: h.env.cfg.AMQP_URL,
    namespace: h.env.namespace,
    service: 'booking-bench',
    logger,
  });
  try {
    const base = `http://127.0.0.1:${h.service.port}`;
    const admin = await signToken({ role: 'admin' });
    const subscribe = async () => {
      const receiver = await startReceiver();
      receivers.push(receiver);
      const res = await fetch(`${base}/v1/webhooks`, {
        method: 'POST',
        headers: { ...bearer(admin), 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, events: ['booking.created'] }),
      });
      if (res.status !== 201) throw new Error(`subscription refused: ${res.status} ${await res.text()}`);
      return receiver;
    };

    // Relay alone, before any subscription exists (the webhooks consumer records nothing).
    await migrateMessaging(h.pool, 'bench_relay');
    await fillOutbox(h, 'bench_relay', EVENTS);
    const relay = new OutboxRelay({
      pool: h.pool,
      schema: 'bench_relay',
      broker: source,
      logger,
      source: 'booking',
      batchSize: 200,
    });
    let started = performance.now();
    relay.start();
    await waitFor(() => relay.publishedCount >= EVENTS, 'the relay');
    const relayRate = EVENTS / ((performance.now() - started) / 1000);
    await relay.stop();
    // Let the webhooks consumer get through those (no subscription yet: it records nothing).
    const inbox = async () =>
      Number(
        (
          await h.pool.query<{ n: string }>(
            "SELECT count(*)::text AS n FROM notification.inbox WHERE consumer = 'webhooks'",
          )
        ).rows[0]?.n,
      );
    while ((await inbox()) < EVENTS) await new Promise((r) => setTimeout(r, 50));
    console.log(`outbox relay alone (${EVENTS} booking.created): ${fmt(relayRate)} events/s`);

    for (const subscriptions of [1, 3]) {
      while (receivers.length < subscriptions) await subscribe();
      const schema = `bench_pipeline_${subscriptions}`;
      await migrateMessaging(h.pool, schema);
      const pipelineRelay = new OutboxRelay({
        pool: h.pool,
        schema,
        broker: source,
        logger,
        source: 'booking',
        batchSize: 200,
      });
      const before = receivers.map((r) => r.received.length);
      const arrived = () => receivers.reduce((n, r, i) => n + r.received.length - before[i]!, 0);
      pipelineRelay.start();
      started = performance.now();
      await fillOutbox(h, schema, EVENTS);
      await waitFor(() => pipelineRelay.publishedCount >= EVENTS, 'the relay');
      const relayed = EVENTS / ((performance.now() - started) / 1000);
      await waitFor(() => arrived() >= EVENTS * subscriptions, 'the receivers');
      const seconds = (performance.now() - started) / 1000;
      await pipelineRelay.stop();

      const latencies = receivers
        .flatMap((r, i) => r.received.slice(before[i]))
        .map((m) => m.at - Date.parse((JSON.parse(m.body) as { timestamp: string }).timestamp))
        .sort((a, b) => a - b);
      const ids = new Set(
        receivers.flatMap((r, i) => r.received.slice(before[i]).map((m) => `${r.url}/${m.id}`)),
      );
      const delivered = EVENTS * subscriptions;
      console.log(
        `webhooks, ${subscriptions} subscription(s): ${fmt(delivered / seconds)} deliveries/s (${fmt(EVENTS / seconds)} events/s); ` +
          `event -> receiver p50 ${quantile(latencies, 0.5)} ms, p99 ${quantile(latencies, 0.99)} ms; ` +
          `relay in the same pipeline ${fmt(relayed)} events/s; events/s ratio to the relay alone ${(EVENTS / seconds / relayRate).toFixed(3)}; ` +
          `duplicates ${delivered - ids.size}`,
      );
    }
    const attempts = await h.pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM notification.webhook_attempts',
    );
    console.log(`attempts recorded: ${attempts.rows[0]?.n} (one per delivery when none failed)`);
  } finally {
    await source.close();
    await h.close();
    await Promise.allSettled(receivers.map((r) => r.close()));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
