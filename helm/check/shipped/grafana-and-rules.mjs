// The dashboards and rules of k8s/: what the chart ships is byte-for-byte these files, every
// PromQL expression parses and names only metrics the code registers, every alert has a runbook.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { chartDir, k8sDir } from '../lib/paths.mjs';
import { assert, check } from '../lib/report.mjs';
import { helm } from '../lib/helm.mjs';
import { isRegisteredMetric, promqlMetrics, registeredMetrics } from '../lib/promql.mjs';
import { byKind } from '../chart/objects.mjs';

const dashboards = readdirSync(path.join(k8sDir, 'grafana')).filter((f) => f.endsWith('.json'));
const rulesText = readFileSync(path.join(k8sDir, 'prometheus/rules.yaml'), 'utf8');

/** `full` is a render with dashboards and rules enabled. */
export function checkShippedCopies(full) {
  check('the chart reaches k8s/grafana and k8s/prometheus through files/ symlinks', () => {
    for (const dir of ['grafana', 'prometheus'])
      assert(
        realpathSync(path.join(chartDir, 'files', dir)) === realpathSync(path.join(k8sDir, dir)),
        `helm/midas/files/${dir} must resolve to k8s/${dir}`,
      );
  });
  check('the chart ships every dashboard of k8s/grafana unchanged, labelled for the Grafana sidecar', () => {
    const maps = byKind(full.objects, 'ConfigMap').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    );
    assert(
      maps.length === dashboards.length,
      `${maps.length} dashboard ConfigMaps for ${dashboards.length} dashboards`,
    );
    for (const file of dashboards) {
      const map = maps.find((m) => file in m.data);
      assert(map, `no ConfigMap carries ${file}`);
      assert(
        map.data[file] === readFileSync(path.join(k8sDir, 'grafana', file), 'utf8').replace(/\n$/, ''),
        `${file} differs from k8s/grafana/${file}`,
      );
    }
  });
  check('the chart ships k8s/prometheus/rules.yaml unchanged as a PrometheusRule', () => {
    const [rule] = byKind(full.objects, 'PrometheusRule');
    assert(rule, 'no PrometheusRule');
    assert(
      isDeepStrictEqual(rule.spec, YAML.parse(rulesText)),
      'PrometheusRule spec differs from rules.yaml',
    );
  });
  check('helm package follows the symlinks: the packaged chart contains the dashboards and rules', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'midas-chart-'));
    try {
      const res = helm(['package', chartDir, '--destination', out]);
      assert(res.status === 0, res.stderr);
      const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
      const list = spawnSync('tar', ['-tzf', path.join(out, tgz)], { encoding: 'utf8' }).stdout.split('\n');
      for (const f of [
        ...dashboards.map((d) => `midas/files/grafana/${d}`),
        'midas/files/prometheus/rules.yaml',
      ])
        assert(list.includes(f), `${f} is missing from ${tgz}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

export function checkDashboards() {
  const known = registeredMetrics();
  const uids = new Set();
  for (const file of dashboards) {
    check(`dashboard ${file}: valid JSON, queries parse, every metric is registered by the code`, () => {
      const dash = JSON.parse(readFileSync(path.join(k8sDir, 'grafana', file), 'utf8'));
      assert(dash.uid && !uids.has(dash.uid), `${file}: needs a unique uid`);
      uids.add(dash.uid);
      assert(
        dash.title && Array.isArray(dash.panels) && dash.panels.length,
        `${file}: needs a title and panels`,
      );
      assert(
        dash.templating?.list?.some((v) => v.type === 'datasource' && v.name === 'datasource'),
        `${file}: needs a "datasource" variable`,
      );
      const ids = new Set();
      const unknown = new Set();
      for (const panel of dash.panels) {
        assert(!ids.has(panel.id), `${file}: panel id ${panel.id} is repeated`);
        ids.add(panel.id);
        if (panel.type === 'row') continue;
        assert(panel.targets?.length, `${file}: panel "${panel.title}" has no query`);
        assert(
          panel.datasource?.uid === '${datasource}',
          `${file}: panel "${panel.title}" must use the datasource variable`,
        );
        for (const t of panel.targets)
          for (const m of promqlMetrics(t.expr, `${file} "${panel.title}"`))
            if (!isRegisteredMetric(m, known)) unknown.add(m);
      }
      assert(unknown.size === 0, `${file}: not registered by the code: ${[...unknown].join(', ')}`);
    });
  }
}

export function checkRules() {
  const known = registeredMetrics();
  check(
    'k8s/prometheus/rules.yaml: every expression parses and uses registered metrics, every alert has severity, summary and a runbook section',
    () => {
      const rules = YAML.parse(rulesText);
      const readme = readFileSync(path.join(k8sDir, 'README.md'), 'utf8');
      const anchors = new Set(
        [...readme.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
          m[1]
            .trim()
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-'),
        ),
      );
      const names = new Set();
      const unknown = new Set();
      assert(rules.groups?.length, 'no groups');
      for (const group of rules.groups)
        for (const rule of group.rules) {
          const label = rule.alert ?? rule.record;
          for (const m of promqlMetrics(rule.expr, label)) if (!isRegisteredMetric(m, known)) unknown.add(m);
          if (!rule.alert) continue;
          assert(!names.has(rule.alert), `${label}: alert name repeated`);
          names.add(rule.alert);
          assert(
            ['critical', 'warning', 'info'].includes(rule.labels?.severity),
            `${label}: severity must be critical, warning or info`,
          );
          assert(
            rule.annotations?.summary && rule.annotations?.description,
            `${label}: needs summary and description`,
          );
          const anchor = rule.annotations?.runbook?.split('#')[1];
          assert(
            anchor && anchors.has(anchor),
            `${label}: runbook anchor #${anchor} is not a heading of k8s/README.md`,
          );
          assert(!rule.for || /^\d+[smh]$/.test(rule.for), `${label}: bad "for"`);
        }
      assert(unknown.size === 0, `metrics not registered by the code: ${[...unknown].join(', ')}`);
    },
  );
}
