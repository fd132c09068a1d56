/** A booking's communications record, oldest first, one keyset page at a time. */
import { listForBooking } from '../db/communications';
import type { CommunicationRow } from '../db/schema';
import type { NotificationContext } from './context';

export interface CommunicationPage {
  items: CommunicationRow[];
  /** The `seq` to continue after, when there may be more. */
  nextSeq: number | null;
}

export async function listCommunications(
  ctx: NotificationContext,
  query: { bookingId: string; afterSeq?: number; limit: number },
): Promise<CommunicationPage> {
  const rows = await listForBooking(ctx.db, { ...query, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return { items, nextSeq: rows.length > query.limit ? (items.at(-1)?.seq ?? null) : null };
}
