/** The 403 for staff acting on an item outside their scope, saying why in the caller's terms. */
import { Forbidden } from '@midas/contracts';
import type { StaffActor } from '../domain/staff-scope';

export function outsideScope(actor: StaffActor, itemLocation: string): Forbidden {
  if (actor.location === undefined) {
    return new Forbidden('A concierge without a location acts only on bookings assigned to them');
  }
  return new Forbidden(`This item is in ${itemLocation}, outside your location`);
}
