/**
 * Which staff act on an item (blackouts) and see its calendar in detail. One rule with booking's:
 * admins everything; a concierge with a location the items there; a concierge without a location
 * only what is assigned to them, and items are never assigned to a concierge, so nothing here.
 */
export interface StaffActor {
  admin: boolean;
  concierge: boolean;
  location?: string;
}

export function actsOnItem(actor: StaffActor, itemLocation: string): boolean {
  if (actor.admin) return true;
  return actor.concierge && actor.location !== undefined && actor.location === itemLocation;
}
