// promtool: the rules load, the unit tests pass, and every alert has a test where it fires and
// one where it stays silent.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

function run(args) {
  const res = spawnSync('promtool', args, { encoding: 'utf8' });
  return { ok: res.status === 0, out: `${res.stdout}${res.stderr}`.trim() };
}

export function promtoolChecks(check, rulesFile, testsDir, alerts) {
  check('promtool check rules', () => {
    const res = run(['check', 'rules', rulesFile]);
    if (!res.ok) throw new Error(res.out);
    return res.out.split('\n').pop().trim();
  });
  const files = readdirSync(testsDir)
    .filter((f) => f.endsWith('.test.yaml'))
    .sort()
    .map((f) => path.join(testsDir, f));
  check(`promtool test rules (${files.length} files)`, () => {
    const res = run(['test', 'rules', ...files]);
    if (!res.ok) throw new Error(res.out);
    return `${(res.out.match(/SUCCESS/g) ?? []).length} files passed`;
  });
  const fires = new Map();
  const silent = new Map();
  for (const file of files)
    for (const test of YAML.parse(readFileSync(file, 'utf8')).tests ?? [])
      for (const t of test.alert_rule_test ?? []) {
        const seen = (t.exp_alerts ?? []).length ? fires : silent;
        seen.set(t.alertname, (seen.get(t.alertname) ?? 0) + 1);
      }
  for (const alert of alerts)
    check(`promtool tests ${alert}: fires and stays silent`, () => {
      if (!fires.get(alert) || !silent.get(alert))
        throw new Error(
          `${alert} needs a test where it fires and one where it is silent (k8s/prometheus/tests)`,
        );
      return `${fires.get(alert)} firing, ${silent.get(alert)} silent cases`;
    });
}
