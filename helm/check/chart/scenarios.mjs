// The value sets the chart is rendered with, and values it must refuse with a clear message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { chartDir, SERVICES } from '../lib/paths.mjs';

export const chartDefaults = YAML.parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
export function merged(base, over) {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return over ?? base;
  const out = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over)) out[k] = merged(base?.[k], v);
  return out;
}

// The chart installs no data stores and generates no secret: these are the values every
// scenario without an existing Secret must give.
export const required = {
  'secrets.DATABASE_URL': 'postgres://midas:pw@postgres.example.internal:5432/midas',
  'secrets.REDIS_URL': 'redis://redis.example.internal:6379/0',
  'secrets.AMQP_URL': 'amqp://midas:pw@rabbitmq.example.internal:5672',
  'secrets.JWT_SECRET': 'a-test-signing-key-of-at-least-32-characters',
  'secrets.WEBHOOK_SECRET_KEY': 'a-test-webhook-sealing-key-of-at-least-32-chars',
};

export const everything = {
  ...required,
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
  'otel.slowMs': 250,
  'config.MIDAS_NAMESPACE': 'prod-',
  'services.gateway.service.type': 'LoadBalancer',
  'services.gateway.service.externalTrafficPolicy': 'Local',
  'image.digest': `sha256:${'a'.repeat(64)}`,
  'metrics.serviceMonitor.labels.release': 'kube-prometheus-stack',
  'metrics.prometheusRule.labels.release': 'kube-prometheus-stack',
  'keda.prometheus.serverAddress': 'http://prometheus-operated.monitoring.svc:9090',
  'migrations.annotations.example\\.com/owner': 'platform',
  'migrations.podAnnotations.sidecar\\.istio\\.io/inject': 'false',
  'migrations.extraEnv[0].name': 'DATABASE_URL',
  'migrations.extraEnv[0].value': 'postgres://midas:pw@postgres-direct.example.internal:5432/midas',
};
export const scenarios = [
  { name: 'default values and the required secrets', set: required, values: {} },
  {
    name: 'keda, ingress, serviceMonitor, rules, dashboards, network policies, otel',
    set: everything,
    values: {
      keda: {
        enabled: true,
        prometheus: { serverAddress: 'http://prometheus-operated.monitoring.svc:9090' },
      },
      otel: { enabled: true, slowMs: 250 },
      config: { MIDAS_NAMESPACE: 'prod-' },
      metrics: {
        serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
        prometheusRule: { labels: { release: 'kube-prometheus-stack' } },
      },
      migrations: {
        annotations: { 'example.com/owner': 'platform' },
        podAnnotations: { 'sidecar.istio.io/inject': 'false' },
        extraEnv: [
          { name: 'DATABASE_URL', value: 'postgres://midas:pw@postgres-direct.example.internal:5432/midas' },
        ],
      },
    },
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
      ...required,
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

// Values that must be refused (each on top of the required ones), and a word the refusal must contain.
export const refusals = [
  // No data store is installed by the chart and no signing key is generated.
  [{ 'secrets.DATABASE_URL': '' }, 'DATABASE_URL'],
  [{ 'secrets.JWT_SECRET': '' }, 'JWT_SECRET'],
  [{ 'secrets.WEBHOOK_SECRET_KEY': '' }, 'WEBHOOK_SECRET_KEY'],
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
  [{ 'config.DB_POOL_MAX': 0 }, 'DB_POOL_MAX'],
];
