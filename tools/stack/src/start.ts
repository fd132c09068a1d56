/**
 * `npm start`: checks the infrastructure, prepares the database, then runs the gateway and the
 * five services as child processes with labelled output, and stops them all on SIGINT/SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig, servicePort, type ServiceName } from '@midas/config';
import { preflight } from './preflight';
import { prepareDatabase } from './prepare';

const STOP_GRACE_MS = 8000;
const ORDER: ServiceName[] = ['availability', 'pricing', 'booking', 'notification', 'calendar', 'gateway'];
const COLOURS = ['\x1b[36m', '\x1b[33m', '\x1b[35m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const useColour = process.stdout.isTTY;

function say(line: string): void {
  process.stdout.write(`[midas] ${line}\n`);
}

function pipeLabelled(stream: NodeJS.ReadableStream, label: string, out: NodeJS.WritableStream): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) out.write(`${label} ${line}\n`);
  });
  stream.on('end', () => {
    if (pending) out.write(`${label} ${pending}\n`);
  });
}

interface Supervised {
  name: ServiceName;
  child?: ChildProcess;
  restarts: number;
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  const started = Date.now();
  const missing = await preflight(cfg);
  if (missing.length) {
    for (const line of missing) process.stderr.write(`[midas] ${line}\n`);
    process.exit(2);
  }
  await prepareDatabase(cfg, say, true);

  let stopping = false;
  const procs: Supervised[] = ORDER.map((name) => ({ name, restarts: 0 }));
  const width = Math.max(...ORDER.map((n) => n.length));

  const launch = (p: Supervised, index: number) => {
    const entry = path.resolve(__dirname, '../../../services', p.name, 'dist/main.js');
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, MIDAS_SKIP_MIGRATIONS: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.child = child;
    const label = `${useColour ? COLOURS[index % COLOURS.length] : ''}${p.name.padEnd(width)} |${useColour ? '\x1b[0m' : ''}`;
    pipeLabelled(child.stdout!, label, process.stdout);
    pipeLabelled(child.stderr!, label, process.stderr);
    child.on('exit', (code, signal) => {
      p.child = undefined;
      if (stopping) return;
      say(`${p.name} exited (${signal ?? code}); restarting in 1 s`);
      if (p.restarts++ > 10) {
        say(`${p.name} keeps failing; stopping everything`);
        void shutdown(1);
        return;
      }
      setTimeout(() => !stopping && launch(p, index), 1000);
    });
  };

  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping all services');
    const alive = procs.map((p) => p.child).filter((c): c is ChildProcess => !!c && c.exitCode === null);
    const exited = alive.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
    for (const c of alive) c.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of alive) if (c.exitCode === null) c.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await Promise.all(exited);
    clearTimeout(timer);
    say('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  procs.forEach((p, i) => launch(p, i));

  const gateway = `http://127.0.0.1:${servicePort(cfg, 'gateway')}`;
  const deadline = Date.now() + 60_000;
  while (!stopping && Date.now() < deadline) {
    const ok = await fetch(`${gateway}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      say(
        `ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${gateway} (API docs: ${gateway}/docs)`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) say(`not ready after 60 s; see ${gateway}/readyz for what is missing`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[midas] failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
