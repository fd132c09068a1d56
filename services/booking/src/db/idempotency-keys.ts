/** Stored Idempotency-Key requests: claimed before the work starts, completed with the response to replay. */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { IDEMPOTENCY_KEY_TTL_HOURS, type IdempotencyStore, type StoredKey } from '@midas/http';
import { idempotencyKeys } from './schema';

/** Keys older than their lifetime are purged on each insert, so the table never outgrows a day of traffic. */
async function purgeExpired(tx: Tx): Promise<void> {
  await tx
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`));
}

async function claim(
  tx: Tx,
  row: { scope: string; key: string; requestHash: string; resourceId: string },
): Promise<boolean> {
  await purgeExpired(tx);
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ ...row, state: 'in_progress' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

async function find(tx: Tx, scope: string, key: string): Promise<StoredKey | undefined> {
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return row;
}

/** Takes over a request whose first attempt stopped answering (its process died) before it finished. */
async function reclaimStale(tx: Tx, scope: string, key: string, staleMs: number): Promise<boolean> {
  const rows = await tx
    .update(idempotencyKeys)
    .set({ lockedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(idempotencyKeys.scope, scope),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.state, 'in_progress'),
        lt(idempotencyKeys.lockedAt, sql`clock_timestamp() - make_interval(secs => ${staleMs / 1000})`),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

async function complete(tx: Tx, scope: string, key: string, status: number, body: unknown): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

async function release(tx: Tx, scope: string, key: string): Promise<void> {
  await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

export function idempotencyStore(tx: Tx): IdempotencyStore {
  return {
    claim: (row) => claim(tx, row),
    find: (scope, key) => find(tx, scope, key),
    reclaimStale: (scope, key, staleMs) => reclaimStale(tx, scope, key, staleMs),
    complete: (scope, key, status, body) => complete(tx, scope, key, status, body),
    release: (scope, key) => release(tx, scope, key),
  };
}
