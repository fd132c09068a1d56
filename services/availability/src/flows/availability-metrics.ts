/** Business metrics of availability: how hold requests end up, how holds end (lapsed, converted, released), and what outside calendar events did. */
import { Counter, type Registry } from '@midas/observability';

export interface AvailabilityMetrics {
  holds: Counter<'outcome'>;
  holdsExpired: Counter<'path'>;
  outsideConflicts: Counter;
  outsideBlackoutChanges: Counter;
  holdsEnded: Counter<'outcome'>;
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
    outsideConflicts: new Counter({
      name: 'midas_availability_outside_conflicts_total',
      help: 'Outside calendar events that could not become blackouts because bookings are there (calendar.conflict)',
      registers: [registry],
    }),
    outsideBlackoutChanges: new Counter({
      name: 'midas_availability_outside_blackout_changes_total',
      help: 'Blackouts created or removed to follow outside calendar events',
      registers: [registry],
    }),
    holdsEnded: new Counter({
      name: 'midas_availability_holds_ended_total',
      help: 'Holds ended by their holder: converted (paid, became a booking) or released (given back)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
