/**
 * A counter of the registry, reused when one of that name is already there: the service and its
 * webhooks can be built more than once over one registry (as tests do) and must count into the
 * same series rather than fail on a second registration.
 */
import { Counter, type Registry } from '@midas/observability';

export function registeredCounter<L extends string>(
  registry: Registry,
  name: string,
  labelNames: readonly L[],
  help: string,
): Counter<L> {
  return (
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}
