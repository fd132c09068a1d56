/** Idempotency-Key records of POST /v1/holds: claimed in the hold's own transaction, so a failed hold leaves no key behind. */
import { sql, type Tx } from '@midas/db';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '@midas/http';

export type Claim =
  { claimed: true } | { claimed: false; requestHash: string; status: number | null; response: unknown };

/**
 * Claims (scope, key) for this request. A concurrent claim of the same key waits here until the
 * first transaction ends, then sees its outcome.
 */
export async function claimKey(db: Tx, scope: string, key: string, requestHash: string): Promise<Claim> {
  // Two tries: the row found on conflict can vanish when the old-key cleanup deletes it in between.
  // A key past its lifetime is forgotten here even before the sweep purges it: the request is new.
  await db.execute(
    sql`DELETE FROM availability.hold_requests WHERE scope = ${scope} AND key = ${key}
          AND created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`,
  );
  for (let attempt = 0; ; attempt++) {
    const inserted = await db.execute(
      sql`INSERT INTO availability.hold_requests (scope, key, request_hash) VALUES (${scope}, ${key}, ${requestHash})
          ON CONFLICT DO NOTHING RETURNING key`,
    );
    if (inserted.rows.length > 0) return { claimed: true };
    const found = await db.execute(
      sql`SELECT request_hash, status, response FROM availability.hold_requests WHERE scope = ${scope} AND key = ${key}`,
    );
    const row = found.rows[0] as
      { request_hash: string; status: number | null; response: unknown } | undefined;
    if (row)
      return { claimed: false, requestHash: row.request_hash, status: row.status, response: row.response };
    if (attempt >= 1) throw new Error('idempotency key neither insertable nor readable');
  }
}

export async function recordResponse(
  db: Tx,
  scope: string,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await db.execute(
    sql`UPDATE availability.hold_requests SET status = ${status}, response = ${JSON.stringify(response)}::jsonb
        WHERE scope = ${scope} AND key = ${key}`,
  );
}

/** Forgets keys older than `hours`; a client retrying after that gets a fresh evaluation. */
export async function forgetOldKeys(db: Tx, hours: number): Promise<number> {
  const result = await db.execute(
    sql`DELETE FROM availability.hold_requests WHERE created_at < now() - make_interval(hours => ${hours})`,
  );
  return result.rowCount ?? 0;
}
