/**
 * Counters and histograms of the registry, reused when one of that name is already there: the
 * service and its webhooks can be built more than once over one registry (as tests do) and must
 * count into the same series rather than fail on a second registration.
 */
import { Counter, Histogram, type Registry } from '@midas/observability';

interface Spec<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

export function registeredCounter<L extends string>(registry: Registry, spec: Spec<L>): Counter<L> {
  return (
    (registry.getSingleMetric(spec.name) as Counter<L> | undefined) ??
    new Counter({ ...spec, registers: [registry] })
  );
}

export function registeredHistogram<L extends string>(
  registry: Registry,
  spec: Spec<L> & { buckets: number[] },
): Histogram<L> {
  return (
    (registry.getSingleMetric(spec.name) as Histogram<L> | undefined) ??
    new Histogram({ ...spec, registers: [registry] })
  );
}
