/** Prometheus metrics for one process: defaults, HTTP durations, and whatever a service registers. */
import { Registry, collectDefaultMetrics, Histogram, Counter, Gauge } from 'prom-client';

export { Histogram, Counter, Gauge, Registry };

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_server_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** One labelled value of a gauge read at scrape time. */
export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string | number>>;
  value: number;
}

export interface ScrapedGaugeSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** The value now, or with labels every series now: series not read again are dropped. */
  read: () => Promise<number | GaugeSample<L>[]>;
}

/**
 * A gauge read at scrape time, typically from Postgres. A read that fails (the database away)
 * keeps the last values rather than failing /metrics.
 */
export function scrapedGauge<L extends string = never>(
  metrics: Pick<Metrics, 'registry'>,
  spec: ScrapedGaugeSpec<L>,
): Gauge<L> {
  const { read, ...config } = spec;
  return new Gauge<L>({
    ...config,
    labelNames: spec.labelNames ?? [],
    registers: [metrics.registry],
    async collect() {
      const reading = await read().catch(() => undefined);
      if (reading === undefined) return;
      if (typeof reading === 'number') {
        this.set(reading);
        return;
      }
      this.reset();
      for (const { labels, value } of reading) this.set(labels, value);
    },
  });
}
