/** Customer standing (tier, points, lifetime value per currency) and the tier rules it is judged by. */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import type { CustomerStanding, TierRule } from '../domain';
import { customers, loyaltyTiers } from './schema';

export async function loadTierRules(tx: Tx): Promise<TierRule[]> {
  const rows = await tx.select().from(loyaltyTiers);
  return rows.map((r) => ({
    tier: r.tier,
    currency: r.currency,
    minLifetimeValue: r.minLifetimeValue,
    pointsPermille: r.pointsPermille,
    minCompletedBookings: r.minCompletedBookings,
  }));
}

/** The customer's standing, locked for this transaction (created at standard on first payment). */
export async function lockStanding(tx: Tx, customerId: string): Promise<CustomerStanding> {
  await tx.insert(customers).values({ id: customerId }).onConflictDoNothing();
  const [row] = await tx.select().from(customers).where(eq(customers.id, customerId)).for('update');
  return {
    tier: row!.tier,
    points: row!.points,
    lifetimeValues: row!.lifetimeValues,
    completedBookings: row!.completedBookings,
  };
}

export async function saveStanding(tx: Tx, customerId: string, standing: CustomerStanding): Promise<void> {
  await tx
    .update(customers)
    .set({
      tier: standing.tier,
      points: standing.points,
      lifetimeValues: standing.lifetimeValues,
      completedBookings: standing.completedBookings ?? 0,
      updatedAt: sql`now()`,
    })
    .where(eq(customers.id, customerId));
}

export async function findStanding(tx: Tx, customerId: string): Promise<CustomerStanding | undefined> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, customerId));
  return row
    ? {
        tier: row.tier,
        points: row.points,
        lifetimeValues: row.lifetimeValues,
        completedBookings: row.completedBookings,
      }
    : undefined;
}
