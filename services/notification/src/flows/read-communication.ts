/** One message of the communications record with every transport tried for it, for staff who may see its booking. */
import { NotFound } from '@midas/contracts';
import { findCommunication, listTries } from '../db/communications';
import type { StaffViewer } from '../domain/staff-scope';
import { assertMayReadBooking } from './booking-access';
import type { FlowContext } from './context';

export async function readCommunication(ctx: FlowContext, id: string, viewer: StaffViewer) {
  const row = await findCommunication(ctx.db, id);
  if (!row) throw new NotFound('Message');
  await assertMayReadBooking(ctx, row.bookingId, viewer);
  return { row, tries: await listTries(ctx.db, id) };
}
