/** A subscription's delivery log, newest first, one keyset page at a time. */
import { listDeliveries as select } from '../db/deliveries';
import type { DeliveryRow } from '../db/schema';
import type { FlowContext } from './context';
import { readSubscription } from './read-subscription';

export async function listDeliveries(
  ctx: FlowContext,
  query: { subscriptionId: string; beforeSeq?: number; status?: DeliveryRow['status']; limit: number },
): Promise<{ items: DeliveryRow[]; nextSeq: number | null }> {
  await readSubscription(ctx, query.subscriptionId);
  const rows = await select(ctx.db, { ...query, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return { items, nextSeq: rows.length > query.limit ? (items.at(-1)?.seq ?? null) : null };
}
