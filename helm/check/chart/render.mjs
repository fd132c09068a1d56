// Renders the chart for every scenario and Kubernetes version: lint, template, the chart's
// promises, schemas and unknown fields, NOTES.txt, refusals, and renders that never change.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { chartDir, KUBE_VERSIONS } from '../lib/paths.mjs';
import { assert, check } from '../lib/report.mjs';
import { helm, parseDocs, setArgs } from '../lib/helm.mjs';
import { schemaErrors, unknownFieldErrors } from '../lib/models.mjs';
import { chartExpectations } from './expectations.mjs';
import { chartDefaults, merged, refusals, required, scenarios } from './scenarios.mjs';

function template(scenario, kube) {
  return helm([
    'template',
    'midas',
    chartDir,
    '--namespace',
    'midas',
    '--kube-version',
    kube,
    ...setArgs(scenario.set),
  ]);
}

/** Lints and renders every scenario; returns [{ scenario, kube, objects }] of those that rendered. */
export function renderScenarios() {
  const rendered = [];
  for (const scenario of scenarios) {
    check(`helm lint --strict: ${scenario.name}`, () => {
      const res = helm(['lint', '--strict', chartDir, ...setArgs(scenario.set)]);
      assert(res.status === 0, res.stdout + res.stderr);
    });
    for (const kube of KUBE_VERSIONS) {
      let objects = [];
      let first = '';
      check(`helm template (Kubernetes ${kube}): ${scenario.name}`, () => {
        const res = template(scenario, kube);
        assert(res.status === 0, res.stderr);
        first = res.stdout;
        objects = parseDocs(res.stdout, scenario.name);
        assert(objects.length > 0, 'nothing rendered');
      });
      if (!objects.length) continue;
      rendered.push({ scenario, kube, objects });
      check(`chart promises (Kubernetes ${kube}): ${scenario.name}`, () =>
        chartExpectations(objects, merged(chartDefaults, scenario.values)),
      );
      // GitOps tools render without a cluster on every sync: anything random would roll every pod.
      if (kube === KUBE_VERSIONS[0])
        check(`the same values render the same objects twice: ${scenario.name}`, () =>
          assert(template(scenario, kube).stdout === first, 'a second render differs from the first'),
        );
    }
  }
  return rendered;
}

/** Schema validation is the same work for both Kubernetes versions; the recent one has every field. */
export async function validateSchemas(rendered) {
  const allObjects = [];
  for (const { scenario, kube, objects } of rendered)
    if (kube === KUBE_VERSIONS[KUBE_VERSIONS.length - 1])
      for (const obj of objects)
        allObjects.push({ label: `${scenario.name}: ${obj.kind} ${obj.metadata?.name}`, obj });
  const schemaFailures = [];
  for (const { label, obj } of allObjects) {
    const err = await schemaErrors(obj);
    if (err) schemaFailures.push(`${label}: ${err}`);
  }
  check(
    `rendered objects match the Kubernetes, KEDA and prometheus-operator schemas (${allObjects.length} objects)`,
    () => assert(schemaFailures.length === 0, schemaFailures.slice(0, 10).join('\n')),
  );
  const unknownFields = await unknownFieldErrors(allObjects);
  check('rendered objects have no unknown fields', () =>
    assert(unknownFields.length === 0, unknownFields.join('\n')),
  );
}

/** NOTES.txt renders only on install; render it here through `tpl` in a scratch copy of the chart. */
export function renderNotes() {
  for (const scenario of scenarios) {
    check(`NOTES.txt renders: ${scenario.name}`, () => {
      const copy = mkdtempSync(path.join(tmpdir(), 'midas-notes-'));
      try {
        cpSync(chartDir, copy, { recursive: true, dereference: true });
        cpSync(path.join(copy, 'templates/NOTES.txt'), path.join(copy, 'files/NOTES.txt'));
        writeFileSync(
          path.join(copy, 'templates/notes-render.yaml'),
          'notes: {{ tpl (.Files.Get "files/NOTES.txt") . | quote }}\n',
        );
        const res = helm([
          'template',
          'midas',
          copy,
          '--namespace',
          'midas',
          '--show-only',
          'templates/notes-render.yaml',
          ...setArgs(scenario.set),
        ]);
        assert(res.status === 0, res.stderr);
        const notes = YAML.parse(res.stdout).notes;
        assert(notes.includes('helm test midas -n midas'), `NOTES lack the helm test line:\n${notes}`);
        assert(!/<no value>|%!/.test(notes), `NOTES print an unresolved value:\n${notes}`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  }
}

export function checkRefusals() {
  for (const [set, word] of refusals) {
    check(`refused: ${JSON.stringify(set)}`, () => {
      const res = helm(['template', 'midas', chartDir, ...setArgs({ ...required, ...set })]);
      assert(res.status !== 0, 'rendered anyway');
      assert(res.stderr.includes(word), `the refusal does not name ${word}:\n${res.stderr}`);
    });
  }
}
