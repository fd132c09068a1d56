/** What every use case of the availability service is given: storage, settings and a clock. */
import type { Pool } from 'pg';
import type { Allocation } from '../db/allocations';
import type { AvailabilityDb } from '../db/schema';
import type { AvailabilityMetrics } from './availability-metrics';

export interface FlowContext {
  db: AvailabilityDb;
  /** For the hot read queries, which use named prepared statements. */
  pool: Pool;
  holdTtlSeconds: number;
  /** Live holds one customer or guest address may have (MAX_ACTIVE_HOLDS_PER_HOLDER); 0: no cap. */
  maxActiveHoldsPerHolder: number;
  now: () => Date;
  /** Arranges for a hold to be ended at its expiresAt (after the transaction that made it commits). */
  scheduleExpiry: (hold: Allocation) => Promise<void>;
  /** Drops the expiry job of a hold that became a booked slot (never fails the caller). */
  cancelExpiry?: (hold: Allocation) => Promise<void>;
  metrics: AvailabilityMetrics;
  /** The server secret guest hold tokens are derived from, so a replayed hold answers with the same one. */
  tokenSecret?: string;
}
