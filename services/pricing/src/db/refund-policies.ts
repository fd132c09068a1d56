/** Refund policies per item type. */
import { asc } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import { findBy, upsertBy, type Tx } from '@midas/db';
import { refundPolicies } from './schema';

export type RefundPolicyRow = typeof refundPolicies.$inferSelect;

export async function refundPolicyFor(tx: Tx, itemType: ItemType): Promise<RefundPolicyRow | undefined> {
  return findBy(tx, refundPolicies, refundPolicies.itemType, itemType);
}

export async function listRefundPolicies(tx: Tx): Promise<RefundPolicyRow[]> {
  return tx.select().from(refundPolicies).orderBy(asc(refundPolicies.itemType));
}

export async function putRefundPolicy(
  tx: Tx,
  policy: Omit<RefundPolicyRow, 'updatedAt'>,
): Promise<RefundPolicyRow> {
  return upsertBy(tx, refundPolicies, 'itemType', policy);
}
