/**
 * Private PostgreSQL, Redis and RabbitMQ for one soak, on free loopback ports, with every file in
 * one temporary directory: the shared instances on the standard ports are never touched, and the
 * soak may restart, flush and stop its own at will. `stop()` removes everything, also after a
 * failure; PostgreSQL and RabbitMQ run under their own system users when started as root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const file = path.join(root, v, 'bin', name);
    if (existsSync(file)) return file;
  }
  return name;
}

/** Runs a command as `user` when this process is root (initdb and RabbitMQ refuse or misbehave as root). */
function asUser(user: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args];
}

function uid(user: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) return undefined;
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

export interface Infra {
  dir: string;
  databaseUrl: (db?: string) => string;
  redisUrl: string;
  amqpUrl: string;
  pg: { restart: () => Promise<void> };
  redis: { flushAndRestart: () => Promise<void> };
  rabbit: {
    closeAllConnections: () => Promise<void>;
    restartApp: (downMs: number) => Promise<void>;
    ctl: (...args: string[]) => Promise<string>;
  };
  stop: () => Promise<void>;
}

export async function startInfra(log: (line: string) => void): Promise<Infra> {
  const dir = mkdtempSync(path.join(tmpdir(), 'midas-chaos-'));
  chmodSync(dir, 0o777);
  const root = userInfo().uid === 0;
  const pgUser = root ? 'postgres' : undefined;
  const mqUser = root ? 'rabbitmq' : undefined;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // PostgreSQL
    const pgPort = await freePort();
    const pgData = path.join(dir, 'pg');
    const [initCmd, initArgs] = asUser(pgUser, pgBin('initdb'), [
      '-D',
      pgData,
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
    ]);
    await run(initCmd, initArgs);
    const pgOpts = `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const pgCtl = (...args: string[]) => {
      const [c, a] = asUser(pgUser, pgBin('pg_ctl'), ['-D', pgData, ...args]);
      return run(c, a);
    };
    await pgCtl('-o', pgOpts, '-l', path.join(dir, 'pg.log'), '-w', 'start');
    stops.push(async () => {
      await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
    });

    // Redis
    const redisPort = await freePort();
    let redis: ChildProcess | undefined;
    const startRedis = async () => {
      redis = spawn(
        'redis-server',
        [
          '--port',
          String(redisPort),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        {
          stdio: 'ignore',
        },
      );
      for (let i = 0; i < 50; i++) {
        const ok = await run('redis-cli', ['-p', String(redisPort), 'PING']).then(
          (r) => r.stdout.includes('PONG'),
          () => false,
        );
        if (ok) return;
        await sleep(100);
      }
      throw new Error('private Redis did not start');
    };
    const stopRedis = async () => {
      const child = redis;
      redis = undefined;
      if (!child || child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    };
    await startRedis();
    stops.push(stopRedis);

    // RabbitMQ: a second node of its own name, ports, data, logs, config and (no) plugins.
    const mqPort = await freePort();
    const distPort = await freePort();
    const node = `chaos-${process.pid}@localhost`;
    const mqDir = path.join(dir, 'rabbit');
    for (const d of ['mnesia', 'log']) mkdirSync(path.join(mqDir, d), { recursive: true });
    writeFileSync(path.join(mqDir, 'plugins'), '');
    writeFileSync(
      path.join(mqDir, 'rabbitmq.conf'),
      `listeners.tcp.local = 127.0.0.1:${mqPort}\nloopback_users = none\n`,
    );
    if (mqUser) {
      const ids = uid(mqUser);
      if (ids)
        for (const f of ['', 'mnesia', 'log', 'plugins', 'rabbitmq.conf'])
          chownSync(path.join(mqDir, f), ids.uid, ids.gid);
    }
    const mqEnv = {
      ...process.env,
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_PORT: String(mqPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: path.join(mqDir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(mqDir, 'log'),
      RABBITMQ_CONFIG_FILE: path.join(mqDir, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(mqDir, 'plugins'),
      RABBITMQ_PID_FILE: path.join(mqDir, 'rabbit.pid'),
    };
    const ctl = async (...args: string[]) =>
      (await run('rabbitmqctl', ['-n', node, ...args], { env: mqEnv })).stdout;
    await run('rabbitmq-server', ['-detached'], { env: mqEnv });
    stops.push(async () => {
      await ctl('stop').catch(() => undefined);
      const pidFile = path.join(mqDir, 'rabbit.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const up = await ctl('await_startup', '--timeout', '60').then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`private RabbitMQ node ${node} did not start`);
      await sleep(1000);
    }
    log(`private PostgreSQL :${pgPort}, Redis :${redisPort}, RabbitMQ ${node} :${mqPort} in ${dir}`);

    return {
      dir,
      databaseUrl: (db = 'midas') => `postgres://postgres@127.0.0.1:${pgPort}/${db}`,
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      amqpUrl: `amqp://guest:guest@127.0.0.1:${mqPort}`,
      pg: {
        restart: async () => {
          await pgCtl('-m', 'fast', '-w', 'stop');
          await pgCtl('-o', pgOpts, '-l', path.join(dir, 'pg.log'), '-w', 'start');
        },
      },
      redis: {
        flushAndRestart: async () => {
          await run('redis-cli', ['-p', String(redisPort), 'FLUSHALL']);
          await stopRedis();
          await startRedis();
        },
      },
      rabbit: {
        closeAllConnections: async () => {
          await ctl('close_all_connections', 'chaos');
        },
        restartApp: async (downMs: number) => {
          await ctl('stop_app');
          await sleep(downMs);
          await ctl('start_app');
        },
        ctl,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
