/**
 * Stored Idempotency-Key requests: claimed before the work starts, completed with the response to
 * replay; or (`foldedIdempotencyStore`, `keyRecord`) stored by the work's own transactions.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import {
  IDEMPOTENCY_KEY_TTL_HOURS,
  type FoldedIdempotencyStore,
  type IdempotencyStore,
  type KeyedAttempt,
  type StoredKey,
  type StoredResponse,
} from '@midas/http';
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

/** Refusals and failures of an attempt whose work stores its key itself (`keyRecord`). */
export function foldedIdempotencyStore(tx: Tx): FoldedIdempotencyStore {
  return {
    find: (scope, key) => find(tx, scope, key),
    refuse: async (attempt, status, body) => {
      const answer = { state: 'done' as const, responseStatus: status, responseBody: body };
      await tx
        .insert(idempotencyKeys)
        .values({ ...keyOf(attempt), ...answer })
        .onConflictDoUpdate({
          target: [idempotencyKeys.scope, idempotencyKeys.key],
          set: answer,
          // Only this attempt's own key: another attempt's answer stays.
          setWhere: eq(idempotencyKeys.resourceId, attempt.resourceId),
        });
    },
    release: async (attempt) => {
      await tx
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.scope, attempt.scope),
            eq(idempotencyKeys.key, attempt.key),
            eq(idempotencyKeys.resourceId, attempt.resourceId),
            eq(idempotencyKeys.state, 'in_progress'),
          ),
        );
    },
  };
}

function keyOf(attempt: KeyedAttempt) {
  return {
    scope: attempt.scope,
    key: attempt.key,
    requestHash: attempt.requestHash,
    resourceId: attempt.resourceId,
  };
}

/** The key's two writes, each inside a transaction the work runs anyway. */
export interface KeyRecord<T> {
  /**
   * With the resource: the key in progress. Its primary key refuses a second attempt of the same
   * key (the whole transaction with it), which is the guard the Redis claims are not.
   */
  stored(tx: Tx): Promise<void>;
  /** In the work's last transaction: the response, its secrets removed. */
  finished(tx: Tx, result: T): Promise<void>;
}

export function keyRecord<T>(attempt: KeyedAttempt, respond: (result: T) => StoredResponse): KeyRecord<T> {
  return {
    stored: async (tx) => {
      await purgeExpired(tx);
      await tx.insert(idempotencyKeys).values({ ...keyOf(attempt), state: 'in_progress' });
    },
    finished: async (tx, result) => {
      const kept = attempt.kept(respond(result));
      await tx
        .update(idempotencyKeys)
        .set({ state: 'done', responseStatus: kept.status, responseBody: kept.body })
        .where(
          and(
            eq(idempotencyKeys.scope, attempt.scope),
            eq(idempotencyKeys.key, attempt.key),
            eq(idempotencyKeys.resourceId, attempt.resourceId),
          ),
        );
    },
  };
}
