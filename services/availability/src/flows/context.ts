/** What every use case of the availability service is given: storage, settings and a clock. */
import type { Pool } from 'pg';
import type { AvailabilityDb } from '../db/schema';

export interface FlowContext {
  db: AvailabilityDb;
  /** For the hot read queries, which use named prepared statements. */
  pool: Pool;
  holdTtlSeconds: number;
  now: () => Date;
}
