/** Reduces a caller and their relation to a booking to the lifecycle `Party` that the rules speak of. */
import type { Party } from './lifecycle';

export type CallerRole = 'guest' | 'customer' | 'concierge' | 'admin' | 'super_admin';

/** How a caller stands to one booking, as established by the visibility check. */
export type Relation = 'owner' | 'assigned' | 'location' | 'admin';

export function partyOf(role: CallerRole, relation: Relation): Party {
  if (role === 'admin' || role === 'super_admin') return 'admin';
  if (role === 'concierge' && (relation === 'assigned' || relation === 'location')) return 'concierge';
  return 'owner';
}
