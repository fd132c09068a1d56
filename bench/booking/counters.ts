/**
 * What a run cost, read from the servers' own counters:
 *
 * - PostgreSQL: `pg_stat_database` of the bench's own database (commits, rows inserted, updated and
 *   deleted). Backends report at most once a second and an idle one within 10 s, so a reading waits
 *   until the figures stop moving.
 * - RabbitMQ: the bench runs the services on a vhost of its own with the broker's firehose tracer
 *   on, so every message published on it is copied by the broker to `amq.rabbitmq.trace`
 *   (`publish.<exchange>`) and counted here, by exchange and routing key.
 * - Redis: a `redis-server` of the bench's own, whose `INFO commandstats` counts only the run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import amqp, { type ChannelModel } from 'amqplib';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 30_000 });
  return stdout;
}

export interface PgCounts {
  commits: number;
  rowsWritten: number;
  inserted: number;
  updated: number;
  deleted: number;
}

export async function readPg(pool: Pool, database: string): Promise<PgCounts> {
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  const r = rows[0]!;
  const inserted = Number(r.tup_inserted);
  const updated = Number(r.tup_updated);
  const deleted = Number(r.tup_deleted);
  return {
    commits: Number(r.xact_commit),
    inserted,
    updated,
    deleted,
    rowsWritten: inserted + updated + deleted,
  };
}

export function pgDelta(after: PgCounts, before: PgCounts): PgCounts {
  return {
    commits: after.commits - before.commits,
    rowsWritten: after.rowsWritten - before.rowsWritten,
    inserted: after.inserted - before.inserted,
    updated: after.updated - before.updated,
    deleted: after.deleted - before.deleted,
  };
}

/** A vhost of the bench's own with the firehose on, counting every message published on it. */
export interface BrokerCounter {
  url: string;
  vhost: string;
  /** Messages published since start, by `<exchange or "(default)"> <routing key>`. */
  snapshot: () => Map<string, number>;
  /** Messages ready or unacknowledged in the vhost's queues, other than the counter's own. */
  pending: () => Promise<number>;
  close: () => Promise<void>;
}

export async function startBrokerCounter(baseUrl: string, vhost: string): Promise<BrokerCounter> {
  await rabbitmqctl('add_vhost', vhost);
  const user = decodeURIComponent(new URL(baseUrl).username || 'guest');
  await rabbitmqctl('set_permissions', '-p', vhost, user, '.*', '.*', '.*');
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  const connection: ChannelModel = await amqp.connect(url.toString());
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'amq.rabbitmq.trace', 'publish.#');
  await rabbitmqctl('trace_on', '-p', vhost);
  const counts = new Map<string, number>();
  await channel.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const headers = msg.properties.headers ?? {};
      const exchange = String(headers.exchange_name ?? '') || '(default)';
      const keys = (headers.routing_keys as unknown[] | undefined)?.map(String) ?? [];
      const routingKey = keys[0] ?? '';
      // Replies go to each client's own reply queue: counted together.
      const key = routingKey.startsWith('amq.rabbitmq.reply-to')
        ? 'rpc replies'
        : `${exchange} ${routingKey}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    { noAck: true },
  );
  return {
    url: url.toString(),
    vhost,
    snapshot: () => new Map(counts),
    pending: async () => {
      const out = await rabbitmqctl(
        'list_queues',
        '-q',
        '--no-table-headers',
        '-p',
        vhost,
        'name',
        'messages',
      );
      let total = 0;
      for (const line of out.split('\n')) {
        const [name, messages] = line.trim().split(/\s+/);
        if (!name || name === queue) continue;
        total += Number(messages) || 0;
      }
      return total;
    },
    close: async () => {
      await rabbitmqctl('trace_off', '-p', vhost).catch(() => undefined);
      await connection.close().catch(() => undefined);
      await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
    },
  };
}

export function countDelta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, n] of after) {
    const d = n - (before.get(key) ?? 0);
    if (d) out.set(key, d);
  }
  return out;
}

/** A redis-server of the bench's own on `port`, without persistence. */
export interface PrivateRedis {
  url: string;
  pid: number | undefined;
  commands: () => Promise<Map<string, number>>;
  stop: () => Promise<void>;
}

export async function startRedis(port: number): Promise<PrivateRedis> {
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
  });
  const url = `redis://127.0.0.1:${port}`;
  // Listening once a connection is accepted.
  for (let tries = 0; ; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) break;
    if (tries > 100) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return {
    url,
    pid: child.pid,
    commands: async () => {
      const info = await client.info('commandstats');
      const out = new Map<string, number>();
      for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
      return out;
    },
    stop: async () => {
      client.disconnect();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
