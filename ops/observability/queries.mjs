// Every dashboard panel query and every alert expression of k8s/, with the Grafana variables
// filled in, and the metric selectors inside each (parsed with Prometheus's own PromQL grammar).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's variables as a user would have them: every namespace, the booking service, a 15 minute range. */
function fill(expr) {
  return expr
    .replace(/\$__rate_interval/g, '1m')
    .replace(/\$__interval/g, '15s')
    .replace(/\$__range/g, '15m')
    .replace(/=~"\$namespace"/g, '=~".*"')
    .replace(/=~"\$service"/g, '=~".*"')
    .replace(/="\$service"/g, '="booking"');
}

export function dashboardQueries(k8sDir) {
  const out = [];
  const dir = path.join(k8sDir, 'grafana');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const dash = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    for (const panel of dash.panels ?? []) {
      if (panel.type === 'row') continue;
      for (const t of panel.targets ?? [])
        out.push({ label: `${file} "${panel.title}" ${t.refId}`, expr: fill(t.expr) });
    }
  }
  return out;
}

export function alertRules(rulesFile) {
  const rules = YAML.parse(readFileSync(rulesFile, 'utf8'));
  return rules.groups.flatMap((g) =>
    g.rules.filter((r) => r.alert).map((r) => ({ alert: r.alert, expr: r.expr })),
  );
}

/** The vector selectors of an expression (`name{matchers}`), as text, and the metric names they use. */
export function selectors(expr) {
  const tree = parser.parse(expr);
  const found = [];
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const text = expr.slice(node.from, node.to);
        const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text)?.[0];
        found.push({ text, name });
        return false;
      }
      return undefined;
    },
  });
  return found;
}
