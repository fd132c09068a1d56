/**
 * Which concierge takes a newly confirmed booking: the least loaded one at the item's location,
 * otherwise the least loaded anywhere; a concierge at capacity takes no more.
 */

export interface ConciergeLoad {
  id: string;
  location: string;
  capacity: number;
  activeAssignments: number;
}

export type AssignmentReason = 'least_loaded_at_location' | 'least_loaded_elsewhere';

export interface AssignmentChoice {
  conciergeId: string;
  reason: AssignmentReason;
}

function leastLoaded(candidates: readonly ConciergeLoad[]): ConciergeLoad | undefined {
  let best: ConciergeLoad | undefined;
  for (const c of candidates) {
    if (c.activeAssignments >= c.capacity) continue;
    // Ties go to the one with more room left, then to the smaller id, so the choice is reproducible.
    if (
      !best ||
      c.activeAssignments < best.activeAssignments ||
      (c.activeAssignments === best.activeAssignments &&
        (c.capacity > best.capacity || (c.capacity === best.capacity && c.id < best.id)))
    ) {
      best = c;
    }
  }
  return best;
}

/** Undefined when every concierge is at capacity (the booking then stays `confirmed`). */
export function chooseConcierge(
  location: string,
  concierges: readonly ConciergeLoad[],
): AssignmentChoice | undefined {
  const local = leastLoaded(concierges.filter((c) => c.location === location));
  if (local) return { conciergeId: local.id, reason: 'least_loaded_at_location' };
  const elsewhere = leastLoaded(concierges.filter((c) => c.location !== location));
  if (elsewhere) return { conciergeId: elsewhere.id, reason: 'least_loaded_elsewhere' };
  return undefined;
}
