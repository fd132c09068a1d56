// PromQL parsing for dashboards and rules, and the metric names the code registers.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parser as promql } from '@prometheus-io/lezer-promql';
import { root } from './paths.mjs';

const GRAFANA_VARS = [
  [/\$__rate_interval/g, '5m'],
  [/\$__range/g, '1h'],
  [/\$__interval/g, '1m'],
];
export function promqlMetrics(expr, label) {
  let query = expr;
  for (const [re, value] of GRAFANA_VARS) query = query.replace(re, value);
  const tree = promql.parse(query);
  const metrics = new Set();
  let errorAt;
  tree.iterate({
    enter(node) {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.add(query.slice(node.from, node.to));
    },
  });
  if (errorAt !== undefined)
    throw new Error(
      `${label}: PromQL syntax error at ${errorAt}: ${query.slice(Math.max(0, errorAt - 30), errorAt + 30)}`,
    );
  return metrics;
}

/**
 * Metric names the code registers (`new Counter({ name: ... })` and the like, or
 * `scrapedGauge(metrics, { name: ... })`, `registeredCounter(registry, { name: ... })` and the
 * like, in libs/ and services/), plus `up`. Nothing else
 * counts: a name written in a README is not a metric anything emits (the live proof is
 * `npm run observability:check`).
 */
export function registeredMetrics() {
  const names = new Set(['up']);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'test'].includes(entry.name)) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const m of src.matchAll(
          /(?:new (?:Histogram|Counter|Gauge|Summary)|scrapedGauge|registered(?:Counter|Histogram)|outcomeCounter)\((?:[\w.]+,\s*)?\{\s*name:\s*['`]([a-z_:][a-z0-9_:]*)['`]/g,
        ))
          names.add(m[1]);
      }
    }
  };
  for (const dir of ['libs', 'services']) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return names;
}

export function isRegisteredMetric(name, known) {
  if (/^(process|nodejs)_/.test(name)) return true; // prom-client collectDefaultMetrics
  const base = name.replace(/_(bucket|count|sum)$/, '');
  return known.has(name) || known.has(base);
}
