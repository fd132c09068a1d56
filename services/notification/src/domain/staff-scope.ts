/**
 * Which staff may read a booking's communications record: the same rule booking applies to the
 * booking itself. Admins read everything; a concierge reads the bookings assigned to them and,
 * when their token carries a location, the bookings at that location; nobody else.
 */
export interface StaffViewer {
  role: string;
  sub?: string;
  location?: string;
}

export interface BookingScope {
  location: string;
  conciergeId: string | null;
}

export function mayReadMessages(viewer: StaffViewer, scope: BookingScope | undefined): boolean {
  if (viewer.role === 'admin' || viewer.role === 'super_admin') return true;
  if (viewer.role !== 'concierge' || viewer.sub === undefined || !scope) return false;
  if (scope.conciergeId !== null && scope.conciergeId === viewer.sub) return true;
  return viewer.location !== undefined && viewer.location === scope.location;
}
