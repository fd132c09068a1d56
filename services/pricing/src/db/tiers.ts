/** Service tier multipliers. */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { TIERS, type Tier } from '@midas/contracts';
import { tiers } from './schema';

export type TierMultipliers = Record<Tier, number>;

/** All tier multipliers; `forUpdate` locks them so a change is checked against the others atomically. */
export async function tierMultipliers(tx: Tx, forUpdate = false): Promise<TierMultipliers> {
  const query = tx.select().from(tiers);
  const rows = forUpdate ? await query.for('update') : await query;
  const out: Partial<TierMultipliers> = {};
  for (const row of rows) out[row.code] = row.multiplierBps;
  for (const t of TIERS) if (out[t] === undefined) throw new Error(`tier ${t} is missing from pricing.tiers`);
  return out as TierMultipliers;
}

export async function setTierMultiplier(tx: Tx, code: Tier, multiplierBps: number): Promise<void> {
  await tx
    .insert(tiers)
    .values({ code, multiplierBps })
    .onConflictDoUpdate({ target: tiers.code, set: { multiplierBps, updatedAt: sql`now()` } });
}
