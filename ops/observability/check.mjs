// `npm run observability:check`: proves the dashboards and alerts of k8s/ against the running
// platform. It starts the stack (own database, MIDAS_NAMESPACE and ports), Debian's Prometheus
// scraping every process with the alert rules loaded, drives real traffic, then evaluates every
// dashboard panel query and every alert expression through Prometheus's HTTP API:
// - a panel query must return at least one series;
// - an alert expression may return none (its condition is not met), but each metric selector in
//   it must return series, and every metric named must be one the processes emit;
// and runs `promtool check rules` and `promtool test rules` with a firing and a silent test per
// alert. It prints what it saw for each, and exits non-zero on any failure.
import path from 'node:path';
import { Stack, root } from './stack.mjs';
import { ensureInstalled, Prometheus } from './prometheus.mjs';
import { alertRules, dashboardQueries, selectors } from './queries.mjs';
import { promtoolChecks } from './promtool.mjs';
import { Traffic } from './traffic.mjs';

const k8sDir = path.join(root, 'k8s');
const rulesFile = path.join(k8sDir, 'prometheus/rules.yaml');
const NAMESPACE_LABEL = 'midas-observability-check';
const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    passed += 1;
    console.log(`ok - ${name}${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    failed += 1;
    console.log(
      `not ok - ${name}\n  ${String(err instanceof Error ? err.message : err).replace(/\n/g, '\n  ')}`,
    );
  }
}

async function evaluate(prom) {
  const emitted = await prom.metricNames();
  for (const { label, expr } of dashboardQueries(k8sDir))
    await check(`panel ${label}`, async () => {
      const unknown = selectors(expr).filter((s) => !emitted.has(s.name));
      if (unknown.length)
        throw new Error(`names metrics nothing emits: ${unknown.map((s) => s.name).join(', ')}`);
      const series = await prom.query(expr);
      if (!series.length) throw new Error(`no series: ${expr}`);
      return `${series.length} series`;
    });
  for (const { alert, expr } of alertRules(rulesFile))
    await check(`alert ${alert}`, async () => {
      const parts = [];
      for (const s of selectors(expr)) {
        if (!emitted.has(s.name)) throw new Error(`${s.name} is emitted by nothing`);
        const n = (await prom.query(s.text)).length;
        if (!n) throw new Error(`no series for ${s.text}`);
        parts.push(`${s.text} ${n}`);
      }
      const firing = (await prom.query(expr)).length;
      return `expression ${firing} series; ${[...new Set(parts)].join('; ')}`;
    });
}

ensureInstalled();
const alerts = alertRules(rulesFile).map((r) => r.alert);
promtoolChecks((name, fn) => check(name, fn), rulesFile, path.join(k8sDir, 'prometheus/tests'), alerts);

// SMTP points at a closed port: every send fails over and is retried, as with a relay that is down.
const stack = await Stack.create({
  REMINDER_OFFSETS: '1m',
  SMTP_URL: 'smtp://127.0.0.1:9',
  RATE_LIMIT_GUEST_PER_MIN: '0',
  RATE_LIMIT_USER_PER_MIN: '0',
  // The webhook receiver of the traffic listens on loopback.
  WEBHOOK_ALLOW_PRIVATE: 'true',
});
let prom;
const stopAll = async () => {
  await prom?.stop().catch(() => undefined);
  await stack.cleanup();
};
process.once('exit', () => stack.killNow());
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));
try {
  log(`starting the stack (namespace ${stack.namespace}, ports ${Object.values(stack.port).join(', ')})`);
  await stack.startAll();
  prom = await Prometheus.start(stack, rulesFile, NAMESPACE_LABEL);
  log(`prometheus on ${prom.base}`);
  await check('prometheus loaded every rule group without error', async () => {
    const groups = (await prom.api('rules')).groups;
    const bad = groups.flatMap((g) =>
      g.rules.filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`),
    );
    if (bad.length) throw new Error(bad.join('\n'));
    return `${groups.length} groups, ${groups.reduce((n, g) => n + g.rules.length, 0)} rules`;
  });
  const reminderDue = await new Traffic(stack, log).run();
  // The reminder is sent at its moment; its lag lands in the histogram scraped after it.
  const wait = Math.max(0, reminderDue - Date.now()) + 5000;
  log(`waiting ${Math.round(wait / 1000)} s for the reminder and a few scrapes`);
  await new Promise((r) => setTimeout(r, wait));
  await prom.waitForScrapes(3);
  await check('every process is scraped (up == 1)', async () => {
    const up = await prom.query('up{job="midas"} == 1');
    if (up.length !== Object.keys(stack.port).length) throw new Error(`${up.length} targets up`);
    return `${up.length} targets`;
  });
  await evaluate(prom);
} catch (err) {
  failed += 1;
  console.log(`not ok - the check could not run\n  ${err instanceof Error ? err.stack : err}`);
  if (prom) console.log(prom.log().slice(-2000));
} finally {
  await stopAll();
}
console.log(
  `\nobservability: ${passed} passed, ${failed} failed in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exit(failed ? 1 : 0);
