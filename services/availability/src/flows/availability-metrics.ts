/** Business metrics of availability: how holds end up (granted, refused as taken, refused by a rule) and how many lapse. */
import { Counter, type Registry } from '@midas/observability';

export interface AvailabilityMetrics {
  holds: Counter<'outcome'>;
  holdsExpired: Counter<'path'>;
}

export function createAvailabilityMetrics(registry: Registry): AvailabilityMetrics {
  return {
    holds: new Counter({
      name: 'midas_availability_holds_total',
      help: 'Hold requests by outcome: granted, taken (409 slot_taken), rule (422), replayed (Idempotency-Key)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    holdsExpired: new Counter({
      name: 'midas_availability_holds_expired_total',
      help: 'Holds ended at their expiry, by the path that ended them: job, lazy or sweep',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
  };
}
