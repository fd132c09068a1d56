/** Refund policies per item type. */
import { asc, eq, sql } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { refundPolicies } from './schema';

export type RefundPolicyRow = typeof refundPolicies.$inferSelect;

export async function refundPolicyFor(tx: Tx, itemType: ItemType): Promise<RefundPolicyRow | undefined> {
  const [row] = await tx.select().from(refundPolicies).where(eq(refundPolicies.itemType, itemType));
  return row;
}

export async function listRefundPolicies(tx: Tx): Promise<RefundPolicyRow[]> {
  return tx.select().from(refundPolicies).orderBy(asc(refundPolicies.itemType));
}

export async function putRefundPolicy(
  tx: Tx,
  policy: Omit<RefundPolicyRow, 'updatedAt'>,
): Promise<RefundPolicyRow> {
  const { itemType: _type, ...changes } = policy;
  const [row] = await tx
    .insert(refundPolicies)
    .values(policy)
    .onConflictDoUpdate({ target: refundPolicies.itemType, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  return row!;
}
