/** Subscriptions, oldest first, one keyset page at a time. */
import { listSubscriptions as select } from '../db/subscriptions';
import type { SubscriptionRow } from '../db/schema';
import type { FlowContext } from './context';

export async function listSubscriptions(
  ctx: FlowContext,
  query: { afterSeq?: number; limit: number },
): Promise<{ items: SubscriptionRow[]; nextSeq: number | null }> {
  const rows = await select(ctx.db, { ...query, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return { items, nextSeq: rows.length > query.limit ? (items.at(-1)?.seq ?? null) : null };
}
