/** Stored Idempotency-Key requests: claimed before the work starts, completed with the response to replay. */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { idempotencyKeys } from './schema';

export type KeyRow = typeof idempotencyKeys.$inferSelect;

export async function claimKey(
  tx: Tx,
  row: { scope: string; key: string; requestHash: string; resourceId: string },
): Promise<boolean> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ ...row, state: 'in_progress' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

export async function findKey(tx: Tx, scope: string, key: string): Promise<KeyRow | undefined> {
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return row;
}

/** Takes over a request whose first attempt stopped answering (its process died) before it finished. */
export async function reclaimStaleKey(tx: Tx, scope: string, key: string, staleMs: number): Promise<boolean> {
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

export async function completeKey(
  tx: Tx,
  scope: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

export async function releaseKey(tx: Tx, scope: string, key: string): Promise<void> {
  await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}
