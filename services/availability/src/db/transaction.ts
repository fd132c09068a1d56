/** Transactions that retry on the errors PostgreSQL asks callers to retry: deadlocks and serialization failures. */
import { pgErrorCode, PgCode } from '@midas/db';
import type { AvailabilityDb } from './schema';

type TxOf<D> = D extends { transaction: (fn: (tx: infer T) => Promise<unknown>) => Promise<unknown> }
  ? T
  : never;
export type AvailabilityTx = TxOf<AvailabilityDb>;

const RETRYABLE = new Set<string>([PgCode.deadlockDetected, PgCode.serializationFailure]);

export async function inTransaction<T>(
  db: AvailabilityDb,
  work: (tx: AvailabilityTx) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      const code = pgErrorCode(err);
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw err;
    }
  }
}
