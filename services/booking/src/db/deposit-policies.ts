/** Security deposit policies: the amount asked per item type and currency, from a booking total up. */
import { and, eq, lte } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { depositPolicies } from './schema';

/** The deposit a booking of this type, currency and total calls for, if any. */
export async function depositFor(
  tx: Tx,
  itemType: ItemType,
  currency: string,
  total: number,
): Promise<number | undefined> {
  const [row] = await tx
    .select({ amount: depositPolicies.amount })
    .from(depositPolicies)
    .where(
      and(
        eq(depositPolicies.itemType, itemType),
        eq(depositPolicies.currency, currency.trim()),
        lte(depositPolicies.minTotal, total),
      ),
    );
  return row?.amount;
}
