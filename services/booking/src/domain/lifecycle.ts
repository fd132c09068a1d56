/**
 * The ten-state booking lifecycle (docs/design.md "The booking lifecycle") as data: which transitions exist, who may
 * trigger each, and which happen on their own. Every status change in the service asks this first.
 */
import type { BookingStatus } from '@midas/contracts';

/**
 * Who asks for a transition, already reduced to the relation that matters: `owner` is the
 * customer (or the guest holding the access token), `concierge` a concierge who may see the
 * booking, `admin` an admin or super_admin, `system` the service itself reacting to a fact
 * (a payment settled, a hold lapsed, a moment came).
 */
export type Party = 'system' | 'owner' | 'concierge' | 'admin';

type ManualParty = Exclude<Party, 'system'>;

interface Edge {
  /** Parties that may ask for it through the API. */
  manual: readonly ManualParty[];
  /** Whether the service performs it itself when the underlying fact happens. */
  automatic: boolean;
}

const STAFF: readonly ManualParty[] = ['concierge', 'admin'];
const OWNER_OR_STAFF: readonly ManualParty[] = ['owner', 'concierge', 'admin'];
const AUTOMATIC: Edge = { manual: [], automatic: true };

export const TRANSITIONS: Readonly<Record<BookingStatus, Partial<Record<BookingStatus, Edge>>>> = {
  pending_payment: {
    confirmed: AUTOMATIC,
    expired: AUTOMATIC,
    cancelled: { manual: OWNER_OR_STAFF, automatic: true },
  },
  confirmed: {
    concierge_assigned: AUTOMATIC,
    cancelled: { manual: OWNER_OR_STAFF, automatic: false },
  },
  concierge_assigned: {
    ready: { manual: STAFF, automatic: false },
    in_progress: { manual: STAFF, automatic: false },
    no_show: AUTOMATIC,
    cancelled: { manual: OWNER_OR_STAFF, automatic: false },
  },
  ready: {
    in_progress: { manual: STAFF, automatic: false },
    no_show: AUTOMATIC,
    cancelled: { manual: OWNER_OR_STAFF, automatic: false },
  },
  in_progress: {
    completed: { manual: STAFF, automatic: true },
  },
  cancelled: {
    refunded: AUTOMATIC,
  },
  no_show: {
    refunded: { manual: ['admin'], automatic: false },
  },
  completed: {},
  refunded: {},
  expired: {},
};

export type TransitionVerdict =
  | { ok: true }
  /** Not an edge of the lifecycle at all (or not from this status): 409. */
  | { ok: false; reason: 'illegal' }
  /** An edge only the service itself takes (payment, expiry, assignment, no-show): 409 when asked for. */
  | { ok: false; reason: 'automatic_only' }
  /** An edge this party may not trigger: 403. */
  | { ok: false; reason: 'not_allowed' };

export function judgeTransition(from: BookingStatus, to: BookingStatus, party: Party): TransitionVerdict {
  const edge = TRANSITIONS[from][to];
  if (!edge) return { ok: false, reason: 'illegal' };
  if (party === 'system') return edge.automatic ? { ok: true } : { ok: false, reason: 'not_allowed' };
  if (edge.manual.includes(party)) return { ok: true };
  return edge.manual.length === 0
    ? { ok: false, reason: 'automatic_only' }
    : { ok: false, reason: 'not_allowed' };
}

export const FINAL_STATUSES: readonly BookingStatus[] = ['completed', 'refunded', 'expired'];

export function isFinal(status: BookingStatus): boolean {
  return Object.keys(TRANSITIONS[status]).length === 0;
}

/** Statuses a cancellation may start from. */
export function isCancellable(status: BookingStatus): boolean {
  return TRANSITIONS[status].cancelled !== undefined;
}

/** Leaving for one of these frees the item's slot (docs/design.md: a no-show frees the rest of its period). */
export function freesSlot(to: BookingStatus): boolean {
  return to === 'cancelled' || to === 'expired' || to === 'no_show';
}

/** Statuses in which a concierge's assignment counts toward their load. */
export const ASSIGNED_STATUSES: readonly BookingStatus[] = ['concierge_assigned', 'ready', 'in_progress'];

export function holdsAssignment(status: BookingStatus): boolean {
  return ASSIGNED_STATUSES.includes(status);
}

/** Dates and add-ons may change while the booking is paid for and has not begun. */
export const MODIFIABLE_STATUSES: readonly BookingStatus[] = ['confirmed', 'concierge_assigned', 'ready'];
