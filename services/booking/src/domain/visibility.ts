/**
 * Who may see a booking at all (docs/design.md "The outside promises", identity): admins everything, customers their own,
 * guests the one whose access token they hold, concierges their assignments and their location.
 * Anyone else gets a 404, so another customer's booking is never revealed.
 */
import type { CallerRole, Relation } from './party';

export interface Viewer {
  role: CallerRole;
  sub?: string;
  location?: string;
}

export interface Visible {
  customerId: string | null;
  conciergeId: string | null;
  location: string;
}

export function relationOf(
  booking: Visible,
  viewer: Viewer,
  holdsAccessToken: boolean,
): Relation | undefined {
  if (viewer.role === 'admin' || viewer.role === 'super_admin') return 'admin';
  if (viewer.sub !== undefined && booking.customerId === viewer.sub) return 'owner';
  if (holdsAccessToken) return 'owner';
  if (viewer.role === 'concierge' && viewer.sub !== undefined) {
    if (booking.conciergeId === viewer.sub) return 'assigned';
    if (viewer.location !== undefined && viewer.location === booking.location) return 'location';
  }
  return undefined;
}
