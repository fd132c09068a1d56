/**
 * What the scheduler tests observe and control: the events booking publishes, read from the
 * broker on a queue of the test's own; a Redis server the test starts, stops and restarts; and
 * confirmed bookings written straight into Postgres when a test needs a thousand of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { topologyNames } from '@midas/messaging';
import { bookingRpc } from '@midas/contracts';
import { deleteQueues, withDeadLetters } from '@midas/testing';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps until the given instant (ms since the epoch). */
export function sleepUntil(at: number): Promise<void> {
  return sleep(Math.max(0, at - Date.now()));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own on a free port, persisting to an append-only file in a temporary directory. */
export class OwnRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), await mkdtemp(path.join(tmpdir(), 'midas-redis-')));
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server on the same port and directory; with `appendonly` it reloads what it had written. */
  async up(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--dir',
        this.dir,
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        // Loading the AOF answers LOADING until it is done.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
        await sleep(50);
      } finally {
        probe.disconnect();
      }
    }
  }

  /** SHUTDOWN: the server flushes its append-only file and exits. */
  async shutdown(): Promise<void> {
    const child = this.process;
    const exited = child ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : undefined;
    const client = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await exited;
    this.process = undefined;
  }

  async flushAll(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) await this.shutdown();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * `n` bookings confirmed now (with the status history that says so), starting at `start` and
 * lasting an hour, written in one statement; returns their ids.
 */
export async function insertConfirmedBookings(pool: Pool, n: number, start: Date): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const end = new Date(start.getTime() + 3_600_000);
  await pool.query(
    `WITH b AS (
       INSERT INTO booking.bookings (id, status, item_id, item_type, item_name, location, timezone, start_at,
                                     end_at, tier, currency, total, price_lines, customer_id, payment_provider)
       SELECT id, 'confirmed', $2::uuid, 'car', 'Test car', 'monaco', 'Europe/Monaco', $3, $4, 'standard', 'EUR',
              100000, '[]'::jsonb, 'customer-' || ord, 'local'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)
       RETURNING id)
     INSERT INTO booking.status_history (booking_id, from_status, to_status, actor_role, reason)
     SELECT id, 'pending_payment', 'confirmed', 'system', 'payment_succeeded' FROM b`,
    [ids, randomUUID(), start, end],
  );
  return ids;
}

/** Removes the RabbitMQ queues a test's services declared (the booking consumer and its dead letters). */
export async function deleteBookingQueues(amqpUrl: string, namespace: string): Promise<void> {
  const names = topologyNames(namespace);
  const consumer = names.consumerQueue('booking', 'events');
  const rpc = Object.values(bookingRpc).map((m) => names.rpcQueue(m.method));
  await deleteQueues(amqpUrl, [...withDeadLetters([consumer]), ...rpc]);
}
