/**
 * The Midas stack for the soak, from the built `dist/` of each service: two processes each of
 * availability and booking (competing consumers on the same queues, jobs and outboxes; HTTP
 * reaches them through a small round-robin TCP balancer, as a Kubernetes Service would), one each
 * of pricing, notification, calendar and the gateway. A supervisor restarts whatever exits and
 * tells apart the exits the fault injector caused from any other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { freePort } from './infra';

const ROOT = path.resolve(__dirname, '../..');

export interface Proc {
  label: string;
  service: string;
  port: number;
  child?: ChildProcess;
  /** Set by the injector just before it kills the process. */
  killedOnPurpose: boolean;
  starts: number;
}

export interface UnexpectedExit {
  label: string;
  code: number | null;
  signal: string | null;
  at: Date;
}

export interface Stack {
  gateway: string;
  procs: Proc[];
  unexpectedExits: UnexpectedExit[];
  kill: (p: Proc) => void;
  stop: () => Promise<void>;
}

/** Spreads each new connection over the live backends in turn, trying the next when one refuses. */
async function balancer(ports: number[]): Promise<{ port: number; server: Server }> {
  let next = 0;
  const server = createServer((client: Socket) => {
    client.pause();
    let tried = 0;
    let current: Socket | undefined;
    client.on('error', () => current?.destroy());
    client.once('close', () => current?.destroy());
    const attempt = () => {
      const upstream = connect(ports[next++ % ports.length]!, '127.0.0.1');
      current = upstream;
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        upstream.destroy();
        if (!connected && ++tried < ports.length) return attempt();
        client.destroy();
      });
      upstream.once('close', () => {
        if (connected) client.destroy();
      });
    };
    attempt();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

export async function startStack(
  baseEnv: Record<string, string>,
  logFile: string,
  say: (line: string) => void,
): Promise<Stack> {
  const plan: { service: string; label: string }[] = [
    { service: 'availability', label: 'availability-1' },
    { service: 'availability', label: 'availability-2' },
    { service: 'pricing', label: 'pricing' },
    { service: 'booking', label: 'booking-1' },
    { service: 'booking', label: 'booking-2' },
    { service: 'notification', label: 'notification' },
    { service: 'calendar', label: 'calendar' },
    { service: 'gateway', label: 'gateway' },
  ];
  const procs: Proc[] = [];
  for (const p of plan) procs.push({ ...p, port: await freePort(), killedOnPurpose: false, starts: 0 });
  const ports = (service: string) => procs.filter((p) => p.service === service).map((p) => p.port);
  const avLb = await balancer(ports('availability'));
  const bkLb = await balancer(ports('booking'));
  const urls: Record<string, string> = {
    AVAILABILITY_URL: `http://127.0.0.1:${avLb.port}`,
    BOOKING_URL: `http://127.0.0.1:${bkLb.port}`,
    PRICING_URL: `http://127.0.0.1:${ports('pricing')[0]}`,
    NOTIFICATION_URL: `http://127.0.0.1:${ports('notification')[0]}`,
    CALENDAR_URL: `http://127.0.0.1:${ports('calendar')[0]}`,
  };
  const unexpectedExits: UnexpectedExit[] = [];
  let stopping = false;

  const launch = (p: Proc) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...baseEnv, ...urls, MIDAS_SKIP_MIGRATIONS: 'true' };
    env[`${p.service.toUpperCase()}_PORT`] = String(p.port);
    const child = spawn(process.execPath, [path.join(ROOT, 'services', p.service, 'dist/main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.child = child;
    p.starts++;
    const write = (d: Buffer) => {
      for (const line of d.toString().split('\n'))
        if (line) appendFileSync(logFile, `${p.label} | ${line}\n`);
    };
    child.stdout!.on('data', write);
    child.stderr!.on('data', write);
    child.once('exit', (code, signal) => {
      if (p.child === child) p.child = undefined;
      if (stopping) return;
      if (!p.killedOnPurpose) {
        unexpectedExits.push({ label: p.label, code, signal, at: new Date() });
        say(`${p.label} exited on its own (${signal ?? code}); restarting`);
      }
      p.killedOnPurpose = false;
      setTimeout(() => !stopping && launch(p), 1000 + Math.floor(Math.random() * 1000));
    });
  };
  for (const p of procs) launch(p);

  return {
    gateway: `http://127.0.0.1:${procs.find((p) => p.service === 'gateway')!.port}`,
    procs,
    unexpectedExits,
    kill: (p) => {
      if (!p.child || p.child.exitCode !== null) return;
      p.killedOnPurpose = true;
      p.child.kill('SIGKILL');
    },
    stop: async () => {
      stopping = true;
      const alive = procs.map((p) => p.child).filter((c): c is ChildProcess => !!c && c.exitCode === null);
      const exited = alive.map((c) => new Promise<void>((r) => c.once('exit', () => r())));
      for (const c of alive) c.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const c of alive) if (c.exitCode === null) c.kill('SIGKILL');
      }, 8000);
      await Promise.all(exited);
      clearTimeout(timer);
      avLb.server.close();
      bkLb.server.close();
    },
  };
}
