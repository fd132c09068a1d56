/** A booking's communications record, oldest first, one keyset page at a time, for staff who may see the booking. */
import { listForBooking } from '../db/communications';
import type { CommunicationRow } from '../db/schema';
import type { StaffViewer } from '../domain/staff-scope';
import { assertMayReadBooking } from './booking-access';
import type { FlowContext } from './context';

export interface CommunicationPage {
  items: CommunicationRow[];
  /** The `seq` to continue after, when there may be more. */
  nextSeq: number | null;
}

export async function listCommunications(
  ctx: FlowContext,
  query: { bookingId: string; afterSeq?: number; limit: number },
  viewer: StaffViewer,
): Promise<CommunicationPage> {
  await assertMayReadBooking(ctx, query.bookingId, viewer, 'booking');
  const rows = await listForBooking(ctx.db, { ...query, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return { items, nextSeq: rows.length > query.limit ? (items.at(-1)?.seq ?? null) : null };
}
