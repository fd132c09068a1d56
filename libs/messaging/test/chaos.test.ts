import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { createDb, createPool, type Pool } from '@midas/db';
import { createTestEnv, eventually, type TestEnv } from '@midas/testing';
import { enqueueEvent, migrateMessaging } from '@midas/messaging';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const TOTAL = 10_000;
const ROUNDS = 5;
const PER_ROUND = TOTAL / ROUNDS;

/** One child process (relay or consumer) that the test kills with SIGKILL, counting its log lines. */
class Child {
  process: ChildProcess | undefined;
  ready = false;
  readonly counts = { handled: 0, duplicates: 0, deadLettered: 0, starts: 0, reconnects: 0 };

  constructor(
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    this.ready = false;
    this.counts.starts += 1;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'chaos', this.script)], {
      cwd: root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string };
      try {
        entry = JSON.parse(line) as { msg?: string };
      } catch {
        return;
      }
      if (entry.msg === 'consumer ready' || entry.msg === 'relay ready') this.ready = true;
      else if (entry.msg === 'event handled') this.counts.handled += 1;
      else if (entry.msg === 'duplicate event skipped') this.counts.duplicates += 1;
      else if (entry.msg === 'event dead-lettered') this.counts.deadLettered += 1;
      else if (entry.msg === 'RabbitMQ connection re-established') this.counts.reconnects += 1;
    });
    this.process = child;
  }

  async waitReady(): Promise<void> {
    await eventually(async () => this.ready, 30_000);
  }

  /** A crash: no graceful stop, whatever was in flight is abandoned. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

describe('outbox -> relay -> consumer under crashes and dropped connections', () => {
  let env: TestEnv;
  let pool: Pool;
  let vhost: string;
  let amqpUrl: string;
  let relay: Child;
  let consumer: Child;

  beforeAll(async () => {
    env = await createTestEnv();
    // Its own vhost, so forcibly closing connections touches nobody else's.
    vhost = `${env.namespace}chaos`;
    await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
    await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    const url = new URL(env.cfg.AMQP_URL);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    amqpUrl = url.toString();
    pool = createPool(env.cfg.DATABASE_URL, { max: 4 });
    await migrateMessaging(pool, 'chaos_src');
    await migrateMessaging(pool, 'chaos_dst');
    // No unique constraint on purpose: only the inbox stands between a redelivery and a second effect.
    await pool.query('CREATE TABLE chaos_dst.effects (id bigserial PRIMARY KEY, n int NOT NULL)');
    const childEnv = {
      ...process.env,
      AMQP_URL: amqpUrl,
      DATABASE_URL: env.cfg.DATABASE_URL,
      MIDAS_NAMESPACE: env.namespace,
    };
    relay = new Child('relay-process.ts', childEnv);
    consumer = new Child('consumer-process.ts', childEnv);
  });

  afterAll(async () => {
    await Promise.allSettled([relay?.stop(), consumer?.stop()]);
    await pool?.end();
    await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]).catch(() => undefined);
    await env.cleanup();
  });

  const effects = async () =>
    Number((await pool.query('SELECT count(*) AS c FROM chaos_dst.effects')).rows[0].c);

  it('applies each of 10,000 events exactly once while relay and consumer are killed 5 times each and connections are cut', async () => {
    const started = Date.now();
    const db = createDb(pool, {});
    // The consumer declares its queue first: events published before any queue is bound would be unroutable.
    consumer.start();
    await consumer.waitReady();
    relay.start();

    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let tx = 0; tx < PER_ROUND / 200; tx++) {
        await db.transaction(async (t) => {
          for (let i = 0; i < 200; i++)
            await enqueueEvent(t, 'chaos_src', { type: 'chaos.counted', data: { n: n++ } });
        });
      }
      // Kill both mid-stream: the relay with a batch in hand, the consumer with messages in flight.
      const midway = round * PER_ROUND + PER_ROUND / 2;
      await eventually(async () => (await effects()) >= midway, 60_000, 20);
      await relay.kill();
      relay.start();
      await eventually(async () => (await effects()) >= midway + PER_ROUND / 5, 60_000, 20);
      await consumer.kill();
      consumer.start();
      if (round === 2) {
        await relay.waitReady();
        await consumer.waitReady();
        await run('rabbitmqctl', ['-q', 'close_all_connections', '-p', vhost, 'chaos test: connections cut']);
      }
    }

    await eventually(async () => (await effects()) >= TOTAL, 90_000, 100);
    await eventually(
      async () =>
        Number(
          (await pool.query('SELECT count(*) AS c FROM chaos_src.outbox WHERE sent_at IS NULL')).rows[0].c,
        ) === 0,
      30_000,
    );
    // Give late redeliveries (re-sent batches, returned messages) time to arrive and be refused.
    await new Promise((r) => setTimeout(r, 1500));

    const { rows } = await pool.query<{ total: string; distinct: string; min: number; max: number }>(
      'SELECT count(*) AS total, count(DISTINCT n) AS distinct, min(n) AS min, max(n) AS max FROM chaos_dst.effects',
    );
    const inbox = await pool.query(`SELECT count(*) AS c FROM chaos_dst.inbox`);
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createChannel();
    const queue = `${env.namespace}chaos.effects`;
    const dlq = await channel.checkQueue(`${queue}.dlq`);
    const left = await channel.checkQueue(queue);
    await connection.close();

    const report = {
      events: TOTAL,
      effects: Number(rows[0]!.total),
      distinctEffects: Number(rows[0]!.distinct),
      inboxRows: Number(inbox.rows[0].c),
      duplicatesBlocked: consumer.counts.duplicates,
      handledLogged: consumer.counts.handled,
      relayStarts: relay.counts.starts,
      consumerStarts: consumer.counts.starts,
      reconnects: { relay: relay.counts.reconnects, consumer: consumer.counts.reconnects },
      deadLettered: dlq.messageCount,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    process.stdout.write(`chaos: ${JSON.stringify(report)}\n`);

    expect(report.effects).toBe(TOTAL);
    expect(report.distinctEffects).toBe(TOTAL);
    expect([rows[0]!.min, rows[0]!.max]).toEqual([0, TOTAL - 1]);
    expect(report.inboxRows).toBe(TOTAL);
    expect(report.deadLettered).toBe(0);
    expect(left.messageCount).toBe(0);
    expect(report.relayStarts).toBe(ROUNDS + 1);
    expect(report.consumerStarts).toBe(ROUNDS + 1);
    // Both processes lived through the forced close by reconnecting, not by being restarted.
    expect(relay.counts.reconnects).toBeGreaterThanOrEqual(1);
    expect(consumer.counts.reconnects).toBeGreaterThanOrEqual(1);
    // Crashes between effect and ack, and relay batches re-sent after a kill, were redelivered and refused.
    expect(report.duplicatesBlocked).toBeGreaterThan(0);
  }, 180_000);
});
