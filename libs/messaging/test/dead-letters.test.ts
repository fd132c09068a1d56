import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import amqp from 'amqplib';
import { sql } from '@midas/db';
import { eventually } from '@midas/testing';
import { createMetrics } from '@midas/observability';
import { enqueueEvent, OutboxRelay, showDeadLetters, type Broker, type Consumer } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

const order = z.object({ n: z.number().int(), poison: z.boolean() });

describe('dead letters', () => {
  let m: MessagingEnv;
  let broker: Broker;
  let consumer: Consumer;
  let relay: OutboxRelay;
  let healed = false;
  const attemptsByN = new Map<number, number>();
  const metrics = createMetrics('shop');

  /** Runs the operator command exactly as `npm run dlq -- ...` would, against this test's namespace. */
  const dlq = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'libs/messaging/src/cli/dlq.ts', ...args], {
      cwd: root,
      env: { ...process.env, AMQP_URL: m.env.cfg.AMQP_URL, MIDAS_NAMESPACE: m.env.namespace },
    });

  beforeAll(async () => {
    m = await messagingEnv(['shop']);
    await m.pool.query('CREATE TABLE shop.effects (n int PRIMARY KEY)');
    broker = await m.connect('shop', m.logger, { metrics });
    consumer = await broker.consume({
      purpose: 'orders',
      pool: m.pool,
      schema: 'shop',
      maxAttempts: 3,
      prefetch: 8,
      retryDelayMs: { base: 100, max: 400 },
      handlers: {
        'test.ordered': {
          schema: order,
          handle: async (data, tx) => {
            attemptsByN.set(data.n, (attemptsByN.get(data.n) ?? 0) + 1);
            if (data.poison && !healed) throw new Error(`cannot process order ${data.n}`);
            await tx.execute(sql`INSERT INTO shop.effects (n) VALUES (${data.n})`);
          },
        },
      },
    });
    m.queues.push(consumer.queue);
    relay = new OutboxRelay({ pool: m.pool, schema: 'shop', broker, logger: m.logger, source: 'shop' });
    relay.start();
  });
  afterAll(async () => {
    await relay.stop();
    await m.close();
  });

  const effects = async () =>
    (await m.pool.query<{ n: number }>('SELECT n FROM shop.effects ORDER BY n')).rows.map((r) => r.n);

  it('moves a poison message to the dead-letter queue after the configured attempts while good ones behind it flow', async () => {
    await m.db.transaction(async (tx) => {
      await enqueueEvent(tx, 'shop', { type: 'test.ordered', data: { n: 0, poison: true } });
      for (let n = 1; n <= 20; n++)
        await enqueueEvent(tx, 'shop', { type: 'test.ordered', data: { n, poison: false } });
    });
    // All good messages are done before the poison one has used its attempts (backoff 100, 200 ms).
    await eventually(async () => (await effects()).length === 20);
    expect(consumer.stats.deadLettered).toBe(0);

    await eventually(async () => consumer.stats.deadLettered === 1);
    expect(attemptsByN.get(0)).toBe(3);
    const [letter] = await showDeadLetters(m.env.cfg.AMQP_URL, `${consumer.queue}.dlq`);
    expect(letter).toMatchObject({
      type: 'test.ordered',
      attempts: 3,
      reason: expect.stringContaining('cannot process order 0'),
    });
    expect(await effects()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/midas_messaging_consumed_total\{[^}]*outcome="dead_lettered"[^}]*\} 1/);
    expect(text).toMatch(/midas_messaging_consumed_total\{[^}]*outcome="retried"[^}]*\} 2/);
    expect(text).toMatch(/midas_messaging_consumed_total\{[^}]*outcome="handled"[^}]*\} 20/);
  });

  it('dead-letters a payload that fails validation at once, with the reason', async () => {
    const connection = await amqp.connect(m.env.cfg.AMQP_URL);
    const channel = await connection.createConfirmChannel();
    const envelope = {
      id: '0b7f0c1e-2b7a-4a52-9d0e-5f3c7f0b8a11',
      type: 'test.ordered',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'test',
      data: { n: 'x' },
    };
    channel.publish(broker.names.events, 'test.ordered', Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.id,
      type: envelope.type,
    });
    await channel.waitForConfirms();
    await connection.close();
    await eventually(async () => consumer.stats.deadLettered === 2);
    const letters = await showDeadLetters(m.env.cfg.AMQP_URL, `${consumer.queue}.dlq`);
    const invalid = letters.find((l) => l.messageId === envelope.id);
    expect(invalid).toMatchObject({
      attempts: 1,
      reason: expect.stringContaining('invalid test.ordered payload'),
    });
    expect(invalid?.reason).toContain('n');
  });

  it('lists, shows and replays dead letters through the operator command', async () => {
    const short = consumer.queue.slice(m.env.namespace.length);
    const list = await dlq('list');
    expect(list.stdout).toMatch(new RegExp(`${consumer.queue.replace(/[.]/g, '\\.')}\\.dlq\\s+2`));

    const show = await dlq('show', short);
    expect(show.stdout).toContain('cannot process order 0');
    expect(show.stdout).toContain('invalid test.ordered payload');

    healed = true;
    const replay = await dlq('replay', short, '--limit', '2');
    expect(replay.stdout).toContain('replayed 2 message(s)');
    // The healed poison message now has its effect; the invalid one fails validation again and goes back.
    await eventually(async () => (await effects()).includes(0));
    await eventually(async () => consumer.stats.deadLettered === 3);
    expect(attemptsByN.get(0)).toBe(4);
    const remaining = await showDeadLetters(m.env.cfg.AMQP_URL, `${consumer.queue}.dlq`);
    expect(remaining.map((l) => l.messageId)).toEqual(['0b7f0c1e-2b7a-4a52-9d0e-5f3c7f0b8a11']);
  });
});
