// Debian's Prometheus for the check: installed with apt-get when missing, started on a free port
// with its own storage, scraping every process every 2 s and loading the alert rules.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitOk } from './stack.mjs';

export const SCRAPE_SECONDS = 2;

/** promtool and prometheus from Debian's package; installs it when absent (CI runs as root). */
export function ensureInstalled() {
  const has = () => spawnSync('sh', ['-c', 'command -v prometheus && command -v promtool']).status === 0;
  if (has()) return;
  console.log('observability: installing Debian prometheus (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    // Others may be installing packages on the same machine: wait for dpkg's lock instead of failing.
    ['-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'],
    ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', 'prometheus'],
  ]) {
    const res = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  if (!has()) throw new Error('prometheus is still not on the PATH after apt-get install');
}

export class Prometheus {
  static async start(stack, rulesFile, namespaceLabel) {
    const dir = mkdtempSync(path.join(tmpdir(), 'midas-prometheus-'));
    const port = await freePort();
    // One static target per process, labelled as the chart's ServiceMonitor labels them.
    const config = {
      global: { scrape_interval: `${SCRAPE_SECONDS}s`, evaluation_interval: `${SCRAPE_SECONDS}s` },
      rule_files: [rulesFile],
      scrape_configs: [
        {
          job_name: 'midas',
          honor_labels: true,
          static_configs: Object.keys(stack.port).map((service) => ({
            targets: [`127.0.0.1:${stack.metricsPort[service]}`],
            labels: { service, namespace: namespaceLabel },
          })),
        },
      ],
    };
    writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
    const child = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr.on('data', (c) => (log += c));
    // A missing binary is reported by waitOk below (the child has exited), not as an uncaught error.
    child.on('error', (err) => (log += `${err.message}\n`));
    const prom = new Prometheus(child, port, dir, () => log);
    await waitOk(`${prom.base}/-/ready`, child, `prometheus (${log})`, 60_000);
    return prom;
  }

  constructor(child, port, dir, log) {
    this.child = child;
    this.base = `http://127.0.0.1:${port}`;
    this.dir = dir;
    this.log = log;
  }

  async api(p, params = {}) {
    const res = await fetch(`${this.base}/api/v1/${p}?${new URLSearchParams(params)}`);
    const body = await res.json();
    if (body.status !== 'success')
      throw new Error(`${p} ${JSON.stringify(params)}: ${body.error ?? res.status}`);
    return body.data;
  }

  /** Instant query; returns the result series (an empty array when none). */
  async query(expr) {
    const data = await this.api('query', { query: expr });
    return data.resultType === 'scalar' || data.resultType === 'string' ? [data.result] : data.result;
  }

  async metricNames() {
    return new Set(await this.api('label/__name__/values'));
  }

  /** Waits until every target has been scraped successfully `scrapes` times since now. */
  async waitForScrapes(scrapes = 2) {
    await new Promise((r) => setTimeout(r, scrapes * SCRAPE_SECONDS * 1000 + 500));
  }

  async stop() {
    if (this.child.exitCode === null) {
      await new Promise((resolve) => {
        this.child.once('exit', resolve);
        this.child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
