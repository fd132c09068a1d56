/** Refuses a viewer who could not see the booking: a 404, so a foreign booking's record is never revealed. */
import { NotFound } from '@midas/contracts';
import { findBookingScope } from '../db/booking-scopes';
import { mayReadMessages, type StaffViewer } from '../domain/staff-scope';
import type { FlowContext } from './context';

export async function assertMayReadBooking(
  ctx: FlowContext,
  bookingId: string,
  viewer: StaffViewer,
  what = 'Message',
): Promise<void> {
  if (viewer.role === 'admin' || viewer.role === 'super_admin') return;
  const scope = await findBookingScope(ctx.db, bookingId);
  if (!mayReadMessages(viewer, scope)) throw new NotFound(what);
}
