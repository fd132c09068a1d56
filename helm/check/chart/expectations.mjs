// What the rendered chart promises, per concern: configuration, processes, scaling, the
// migrations Job, and how the platform is exposed and monitored.
import { isDeepStrictEqual } from 'node:util';
import { SERVICES } from '../lib/paths.mjs';
import { assert } from '../lib/report.mjs';
import { assertPodSecurity, assertTmp, byKind, component, env, hasHook } from './objects.mjs';

/** The rendered objects by kind, and the facts every expectation below starts from. */
function facts(objects, values) {
  const configMaps = byKind(objects, 'ConfigMap');
  const secrets = byKind(objects, 'Secret');
  const secretNames = new Set(secrets.map((s) => s.metadata.name));
  if (values.existingSecret) secretNames.add(values.existingSecret);
  const config = configMaps.find((c) => c.metadata.name.endsWith('-config'));
  assert(config, 'a ConfigMap "<fullname>-config" holds the non-secret variables');
  assert(config.data.NODE_ENV === 'production', 'NODE_ENV must be production');
  return {
    objects,
    values,
    deployments: byKind(objects, 'Deployment'),
    services: byKind(objects, 'Service'),
    configMaps,
    secrets,
    secretNames,
    config,
    enabled: Object.keys(SERVICES).filter((s) => values.services?.[s]?.enabled !== false),
  };
}

export function chartExpectations(objects, values) {
  const f = facts(objects, values);
  assert(
    f.deployments.length === f.enabled.length,
    `one Deployment per enabled process (${f.enabled.join(', ')}), got ${f.deployments.length}`,
  );
  for (const name of f.enabled) {
    const d = f.deployments.find((o) => component(o) === name);
    assert(d, `no Deployment for ${name}`);
    assertContainer(f, name, d);
    assertSecretRefs(f, d);
    assertService(f, name, d);
    assertScaling(f, name, d);
  }
  assertMigrationsJob(f);
  assertExposure(f);
  assertMonitoring(f);
}

function assertContainer(f, name, d) {
  const { values, config, configMaps } = f;
  const spec = d.spec.template.spec;
  const label = `Deployment ${d.metadata.name}`;
  const [c] = spec.containers;
  assert(spec.containers.length === 1, `${label}: one container`);
  assert(env(c, 'SERVICE')?.value === name, `${label}: SERVICE must be ${name}`);
  const port = values.services?.[name]?.port ?? SERVICES[name];
  assert(c.ports?.[0]?.containerPort === port && c.ports[0].name === 'http', `${label}: port "http" ${port}`);
  assert(
    String(config.data[`${name.toUpperCase()}_PORT`]) === String(port),
    `${name.toUpperCase()}_PORT must be ${port}`,
  );
  assert(c.livenessProbe?.httpGet?.path === '/healthz', `${label}: liveness probe on /healthz`);
  const readiness = values.services?.[name]?.readinessPath || '/readyz';
  assert(c.readinessProbe?.httpGet?.path === readiness, `${label}: readiness probe on ${readiness}`);
  if (name === 'gateway')
    assert(
      readiness !== '/readyz',
      `${label}: the gateway's /readyz fails when any service is unready; probe /readyz/self`,
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
}

function assertSecretRefs(f, d) {
  const label = `Deployment ${d.metadata.name}`;
  for (const e of d.spec.template.spec.containers[0].env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref) continue;
    assert(
      f.secretNames.has(ref.name),
      `${label}: env ${e.name} reads Secret ${ref.name}, which is neither rendered nor existingSecret`,
    );
    const secret = f.secrets.find((s) => s.metadata.name === ref.name && !hasHook(s));
    if (secret && !ref.optional)
      assert(secret.data?.[ref.key], `${label}: required key ${ref.key} is missing from Secret ${ref.name}`);
  }
}

function assertService(f, name, d) {
  const label = `Deployment ${d.metadata.name}`;
  const port = f.values.services?.[name]?.port ?? SERVICES[name];
  const svc = f.services.find((s) => component(s) === name);
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
    const url = f.config.data[`${name.toUpperCase()}_URL`];
    const expected = `http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${port}`;
    assert(url === expected, `${name.toUpperCase()}_URL is ${url}, expected ${expected}`);
  }
  for (const [k, v] of Object.entries(svc.spec.selector))
    assert(d.spec.template.metadata.labels[k] === v, `Service ${svc.metadata.name} does not select ${label}`);
}

/** An HPA or a ScaledObject per autoscaled process, never both; PDBs select pods. */
function assertScaling(f, name, d) {
  const { objects, values } = f;
  const s = values.services?.[name] ?? {};
  const hpa = byKind(objects, 'HorizontalPodAutoscaler').find((o) => component(o) === name);
  const so = byKind(objects, 'ScaledObject').find((o) => component(o) === name);
  assert(!(hpa && so), `${name} has both an HPA and a KEDA ScaledObject`);
  const jobQueues = values.keda?.prometheus?.serverAddress ? (s.keda?.jobQueues ?? []) : [];
  const wantKeda = values.keda?.enabled && ((s.keda?.queues ?? []).length > 0 || jobQueues.length > 0);
  const wantHpa = !wantKeda && s.autoscaling?.enabled !== false;
  assert(Boolean(so) === Boolean(wantKeda), `${name}: ScaledObject expected ${Boolean(wantKeda)}`);
  assert(Boolean(hpa) === wantHpa, `${name}: HPA expected ${wantHpa}`);
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
    assertQueueTriggers(f, name, so, s.keda.queues ?? []);
    assertJobTriggers(f, name, so, jobQueues);
  }
  const pdb = byKind(objects, 'PodDisruptionBudget').find((o) => component(o) === name);
  if (s.pdb?.enabled !== false) {
    assert(pdb, `${name}: needs a PodDisruptionBudget`);
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels))
      assert(d.spec.template.metadata.labels[k] === v, `PDB of ${name} does not select its pods`);
  }
}

/** RabbitMQ queue length, through a TriggerAuthentication that reads AMQP_URL from the Secret. */
function assertQueueTriggers(f, name, so, queues) {
  const triggers = so.spec.triggers.filter((t) => t.type === 'rabbitmq');
  assert(triggers.length === queues.length, `${name}: one rabbitmq trigger per queue`);
  const prefix = f.values.config?.MIDAS_NAMESPACE ?? '';
  assert(
    isDeepStrictEqual(
      triggers.map((t) => t.metadata.queueName),
      queues.map((q) => `${prefix}${q}`),
    ),
    `${name}: queue names must be <MIDAS_NAMESPACE><service>.<purpose>`,
  );
  for (const t of triggers) {
    assert(
      t.metadata.mode === 'QueueLength' && t.authenticationRef?.name,
      `${name}: rabbitmq trigger needs QueueLength mode and a TriggerAuthentication`,
    );
    const auth = byKind(f.objects, 'TriggerAuthentication').find(
      (a) => a.metadata.name === t.authenticationRef.name,
    );
    assert(auth, `${name}: TriggerAuthentication ${t.authenticationRef.name} is not rendered`);
    const host = auth.spec.secretTargetRef.find((r) => r.parameter === 'host');
    assert(
      host && f.secretNames.has(host.name) && host.key === 'AMQP_URL',
      'TriggerAuthentication must read host from the AMQP_URL key of the Secret',
    );
    assert(!t.metadata.queueName.endsWith('.dlq'), `${name}: dead-letter queues must not drive scaling`);
  }
}

/** Waiting BullMQ jobs, read from Prometheus: the gauge of the queue's own service, max across replicas. */
function assertJobTriggers(f, name, so, jobQueues) {
  const triggers = so.spec.triggers.filter((t) => t.type === 'prometheus');
  assert(triggers.length === jobQueues.length, `${name}: one prometheus trigger per BullMQ queue`);
  for (const [i, t] of triggers.entries()) {
    const q = t.metadata.query;
    assert(
      t.metadata.serverAddress === f.values.keda.prometheus.serverAddress,
      `${name}: prometheus trigger must use keda.prometheus.serverAddress`,
    );
    assert(
      q.startsWith('max(midas_jobs_queue_jobs{') &&
        q.includes(`service="${name}"`) &&
        q.includes(`queue="${jobQueues[i]}"`) &&
        q.includes('state=~"waiting'),
      `${name}: the trigger of ${jobQueues[i]} must take the max of its waiting jobs: ${q}`,
    );
  }
}

/** The migrations Job: a pre-install/pre-upgrade hook, as locked down as the services. */
function assertMigrationsJob(f) {
  const { objects, values, secrets, config } = f;
  const jobs = byKind(objects, 'Job');
  if (values.migrations?.enabled === false) {
    assert(jobs.length === 0, 'migrations disabled but a Job is rendered');
    return;
  }
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
  const [c] = spec.containers;
  assert(env(c, 'SERVICE')?.value === 'migrate', 'migrations Job must run SERVICE=migrate');
  assertPodSecurity(spec, 'migrations Job');
  assertTmp(spec, 'migrations Job');
  assert(
    !spec.serviceAccountName || spec.serviceAccountName === values.migrations?.serviceAccountName,
    'the Job must not use the chart ServiceAccount, which does not exist yet during pre-install',
  );
  for (const [k, v] of Object.entries(values.migrations?.annotations ?? {}))
    assert(a[k] === v, `migrations.annotations ${k} must reach the Job`);
  for (const [k, v] of Object.entries(values.migrations?.podAnnotations ?? {}))
    assert(
      job.spec.template.metadata.annotations?.[k] === v,
      `migrations.podAnnotations ${k} must reach its pod`,
    );
  for (const e of values.migrations?.extraEnv ?? [])
    assert(env(c, e.name)?.value === e.value, `migrations.extraEnv ${e.name} must reach the Job`);
  for (const e of c.env.filter((x) => x.valueFrom?.secretKeyRef)) {
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
    const key = e.valueFrom.secretKeyRef.key;
    if (main && hookSecret.data[key])
      assert(
        hookSecret.data[key] === main.data[key],
        `the Job's copy of ${key} differs from the services' Secret`,
      );
  }
  assert(
    config.data.MIDAS_SKIP_MIGRATIONS === 'true',
    'with the Job, services must skip their own migrations',
  );
}

/** The Ingress reaches the gateway only; the collector and JWKS settings reach the processes. */
function assertExposure(f) {
  const { objects, values, services, config } = f;
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
  if (values.otel?.enabled) {
    assert(
      config.data.OTEL_EXPORTER_OTLP_ENDPOINT === values.otel.endpoint,
      'OTEL_EXPORTER_OTLP_ENDPOINT must point at the collector',
    );
    assert(
      config.data.OTEL_TRACES_SAMPLER_ARG === String(values.otel.samplerArg) &&
        config.data.MIDAS_TRACE_SLOW_MS === String(values.otel.slowMs),
      'otel.samplerArg and otel.slowMs must reach the processes',
    );
  } else assert(!config.data.OTEL_EXPORTER_OTLP_ENDPOINT, 'no OTLP endpoint unless otel.enabled');
  if (values.config?.JWT_JWKS_URL)
    assert(config.data.JWT_JWKS_URL === values.config.JWT_JWKS_URL, 'JWT_JWKS_URL must reach the processes');
}

/** The ServiceMonitor scrapes every Service as job="midas"; both it and the rules carry the labels a Prometheus selects by. */
function assertMonitoring(f) {
  const { objects, values, services, enabled } = f;
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
  for (const [kind, key] of [
    ['ServiceMonitor', 'serviceMonitor'],
    ['PrometheusRule', 'prometheusRule'],
  ])
    for (const o of byKind(objects, kind))
      for (const [k, v] of Object.entries(values.metrics?.[key]?.labels ?? {}))
        assert(o.metadata.labels?.[k] === v, `${kind} must carry metrics.${key}.labels ${k}=${v}`);
}
