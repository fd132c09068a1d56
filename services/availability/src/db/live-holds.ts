/**
 * Counting a holder's live holds for the cap, race-free: a transaction-scoped advisory lock per
 * holder serialises two concurrent holds of the same holder, so both cannot count the same four
 * and each take a fifth. Holds behind unpaid bookings are rows of kind `hold` too, so they count.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';

export type Holder = { sub: string } | { ip: string };

export async function lockHolder(tx: Tx, holder: Holder): Promise<void> {
  const key = 'sub' in holder ? `hold-cap:sub:${holder.sub}` : `hold-cap:ip:${holder.ip}`;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** How many live holds the holder has, and when the first of them lapses. */
export async function liveHolds(tx: Tx, holder: Holder): Promise<{ count: number; nextExpiry: Date | null }> {
  const who = 'sub' in holder ? sql`holder_sub = ${holder.sub}` : sql`holder_ip = ${holder.ip}`;
  const result = await tx.execute(sql`
    SELECT count(*)::int AS count, min(expires_at) AS next_expiry
      FROM availability.allocations
     WHERE kind = 'hold' AND active AND ${who}
       AND (expires_at IS NULL OR expires_at > now())`);
  const row = result.rows[0] as { count: number; next_expiry: string | Date | null } | undefined;
  const next = row?.next_expiry ?? null;
  return { count: row?.count ?? 0, nextExpiry: next === null ? null : new Date(next) };
}
