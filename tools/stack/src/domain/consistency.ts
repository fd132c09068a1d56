/**
 * Cross-service consistency as pure comparisons: what booking says of each booking against
 * availability's allocations, booking's own payments ledger and calendar's entries. Each rule
 * names a difference; nothing is decided or changed here. Used by `npm run reconcile` (sections
 * `bookings`, `availability`, `calendar`) and by the chaos soak's final checks.
 */

/** Statuses in which a booking occupies its item now or later. */
export const OCCUPYING = new Set(['confirmed', 'concierge_assigned', 'ready', 'in_progress']);
/** Statuses whose slot has been given back. */
export const FREED = new Set(['cancelled', 'expired', 'refunded']);
/** Statuses calendar shows as a confirmed event (as calendar's own domain/entry.ts does). */
const SHOWN_CONFIRMED = new Set([...OCCUPYING, 'completed']);

export interface BookingFact {
  id: string;
  status: string;
  itemId: string;
  start: Date;
  end: Date;
  holdExpiresAt: Date | null;
  /** A price-raising change waits for its difference: its hold may sit beside the booking's row. */
  pendingChange: boolean;
  /** When the booking became a no-show, if it did (its slot is freed from then on). */
  noShowAt: Date | null;
  payments: PaymentFact[];
}

export interface PaymentFact {
  kind: string;
  status: string;
  amount: number;
}

export interface AllocationFact {
  id: string;
  itemId: string;
  kind: 'hold' | 'booking' | 'blackout';
  ref: string | null;
  active: boolean;
  start: Date;
  end: Date;
  /** End of the blocked range (period plus the item's buffer). */
  blockedEnd: Date;
  expiresAt: Date | null;
}

export interface CalendarEntryFact {
  ref: string;
  status: string;
  start: Date;
  end: Date;
  sequence: number;
  syncedSequence: number | null;
  syncState: string;
  /** The item is linked to a Google calendar, so the entry should have been written there. */
  linked: boolean;
}

export type ConsistencyKind =
  | 'slot_missing'
  | 'slot_not_booked'
  | 'slot_period'
  | 'freed_slot_held'
  | 'hold_missing'
  | 'unpaid_not_expired'
  | 'unpaid_confirmed'
  | 'refunded_with_refund_open'
  | 'expired_kept_money'
  | 'orphan_slot'
  | 'overlap'
  | 'calendar_missing'
  | 'calendar_status'
  | 'calendar_period'
  | 'calendar_not_written';

export interface ConsistencyDifference {
  kind: ConsistencyKind;
  bookingId?: string;
  itemId?: string;
  detail: string;
}

const iso = (d: Date) => d.toISOString();
const live = (a: AllocationFact, now: Date) =>
  a.active && !(a.kind === 'hold' && a.expiresAt !== null && a.expiresAt <= now);

/** What the shown status of a booking is in a calendar: tentative, confirmed or cancelled. */
export function shownStatus(status: string): 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED' {
  if (status === 'pending_payment') return 'TENTATIVE';
  return SHOWN_CONFIRMED.has(status) ? 'CONFIRMED' : 'CANCELLED';
}

export interface BookingCheckOptions {
  now: Date;
  /** How long an unpaid booking may outlive its hold before its expiry is overdue (the sweep's period and more). */
  expiryGraceMs: number;
}

/** Booking state against availability's allocations and the payments ledger. */
export function compareBookings(
  bookings: BookingFact[],
  allocations: AllocationFact[],
  opts: BookingCheckOptions,
): ConsistencyDifference[] {
  const out: ConsistencyDifference[] = [];
  const byRef = new Map<string, AllocationFact[]>();
  for (const a of allocations) {
    if (!a.ref || a.kind === 'blackout') continue;
    byRef.set(a.ref, [...(byRef.get(a.ref) ?? []), a]);
  }
  for (const b of bookings) {
    const rows = (byRef.get(b.id) ?? []).filter((a) => a.active);
    const booked = rows.filter((a) => a.kind === 'booking');
    const held = rows.filter((a) => a.kind === 'hold' && live(a, opts.now));
    const base = { bookingId: b.id, itemId: b.itemId };
    if (OCCUPYING.has(b.status)) {
      if (booked.length === 0 && held.length === 0) {
        out.push({
          ...base,
          kind: 'slot_missing',
          detail: `${b.status} but availability holds nothing for it`,
        });
      } else if (booked.length === 0) {
        out.push({ ...base, kind: 'slot_not_booked', detail: `${b.status} but its slot is still a hold` });
      } else if (!b.pendingChange) {
        const same = booked.some((a) => +a.start === +b.start && +a.end === +b.end);
        if (!same)
          out.push({
            ...base,
            kind: 'slot_period',
            detail: `booked ${iso(b.start)}..${iso(b.end)}, availability has ${booked
              .map((a) => `${iso(a.start)}..${iso(a.end)}`)
              .join(', ')}`,
          });
      }
      if (!b.payments.some((p) => p.kind === 'charge' && p.status === 'succeeded'))
        out.push({ ...base, kind: 'unpaid_confirmed', detail: `${b.status} without a settled charge` });
    } else if (b.status === 'completed') {
      if (!b.payments.some((p) => p.kind === 'charge' && p.status === 'succeeded'))
        out.push({ ...base, kind: 'unpaid_confirmed', detail: 'completed without a settled charge' });
    } else if (b.status === 'pending_payment') {
      const holdLive = b.holdExpiresAt !== null && b.holdExpiresAt > opts.now;
      if (holdLive && held.length === 0 && booked.length === 0)
        out.push({
          ...base,
          kind: 'hold_missing',
          detail: 'unpaid with a live hold that availability does not have',
        });
      if (b.holdExpiresAt !== null && +opts.now - +b.holdExpiresAt > opts.expiryGraceMs)
        out.push({
          ...base,
          kind: 'unpaid_not_expired',
          detail: `unpaid and its hold lapsed at ${iso(b.holdExpiresAt)}, still not expired`,
        });
    }
    if (FREED.has(b.status) || b.status === 'no_show' || b.noShowAt) {
      // A no-show keeps what it used (its period up to the no-show), nothing after.
      const freedFrom = b.noShowAt ? new Date(Math.max(+b.noShowAt, +b.start)) : undefined;
      const still = rows.filter(
        (a) => live(a, opts.now) && (!freedFrom || a.end > new Date(+freedFrom + 60_000)),
      );
      if (still.length)
        out.push({
          ...base,
          kind: 'freed_slot_held',
          detail: `${b.status} but availability still has ${still.map((a) => `${a.kind} ${a.id}`).join(', ')} active`,
        });
    }
    if (b.status === 'refunded' && b.payments.some((p) => p.kind === 'refund' && p.status === 'pending'))
      out.push({
        ...base,
        kind: 'refunded_with_refund_open',
        detail: 'refunded while a refund is still pending',
      });
    if (b.status === 'expired') {
      const paid = b.payments
        .filter((p) => p.kind === 'charge' && p.status === 'succeeded')
        .reduce((s, p) => s + p.amount, 0);
      const refunded = b.payments
        .filter((p) => p.kind === 'refund' && (p.status === 'succeeded' || p.status === 'pending'))
        .reduce((s, p) => s + p.amount, 0);
      if (paid > refunded)
        out.push({
          ...base,
          kind: 'expired_kept_money',
          detail: `expired, ${paid} received and ${refunded} refunded or being refunded`,
        });
    }
  }
  return out;
}

/**
 * Availability on its own and against booking: no two live allocations of an item overlap,
 * buffers included, and every booked slot belongs to a booking that still occupies it (or used it).
 */
export function compareAllocations(
  allocations: AllocationFact[],
  bookings: Map<string, { status: string; noShowAt: Date | null }>,
  opts: { now: Date },
): ConsistencyDifference[] {
  const out: ConsistencyDifference[] = [];
  const byItem = new Map<string, AllocationFact[]>();
  for (const a of allocations)
    if (live(a, opts.now)) byItem.set(a.itemId, [...(byItem.get(a.itemId) ?? []), a]);
  for (const [itemId, rows] of byItem) {
    const sorted = [...rows].sort((x, y) => +x.start - +y.start);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i]!;
        const b = sorted[j]!;
        if (b.start >= a.blockedEnd) continue;
        // Blocked ranges [start, blockedEnd) overlap.
        if (a.start < b.blockedEnd)
          out.push({
            kind: 'overlap',
            itemId,
            detail: `${a.kind} ${a.id} (${iso(a.start)}..${iso(a.blockedEnd)}) overlaps ${b.kind} ${b.id} (${iso(b.start)}..${iso(b.blockedEnd)})`,
          });
      }
    }
    for (const a of rows) {
      if (a.kind !== 'booking' || !a.ref) continue;
      const b = bookings.get(a.ref);
      if (!b || FREED.has(b.status) || b.status === 'pending_payment')
        out.push({
          kind: 'orphan_slot',
          itemId,
          bookingId: a.ref,
          detail: b
            ? `booked slot ${a.id} of a ${b.status} booking`
            : `booked slot ${a.id} of no known booking`,
        });
    }
  }
  return out;
}

/** Bookings not yet over against calendar's entries (and, for linked items, what was written to Google). */
export function compareCalendar(
  bookings: Pick<BookingFact, 'id' | 'itemId' | 'status' | 'start' | 'end' | 'pendingChange'>[],
  entries: Map<string, CalendarEntryFact>,
  opts: { now: Date },
): ConsistencyDifference[] {
  const out: ConsistencyDifference[] = [];
  for (const b of bookings) {
    if (b.end <= opts.now) continue;
    const e = entries.get(b.id);
    const base = { bookingId: b.id, itemId: b.itemId };
    if (!e) {
      if (OCCUPYING.has(b.status))
        out.push({ ...base, kind: 'calendar_missing', detail: `${b.status} booking has no calendar entry` });
      continue;
    }
    if (shownStatus(e.status) !== shownStatus(b.status))
      out.push({
        ...base,
        kind: 'calendar_status',
        detail: `booking ${b.status}, calendar shows ${e.status} (${shownStatus(e.status)})`,
      });
    else if (!b.pendingChange && (+e.start !== +b.start || +e.end !== +b.end))
      out.push({
        ...base,
        kind: 'calendar_period',
        detail: `booking ${iso(b.start)}..${iso(b.end)}, calendar ${iso(e.start)}..${iso(e.end)}`,
      });
    if (e.linked && OCCUPYING.has(b.status) && (e.syncState !== 'synced' || e.syncedSequence !== e.sequence))
      out.push({
        ...base,
        kind: 'calendar_not_written',
        detail: `sequence ${e.sequence} not in Google (state ${e.syncState}, written ${e.syncedSequence ?? 'never'})`,
      });
  }
  return out;
}

export function countKinds(diffs: ConsistencyDifference[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of diffs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}

export function describe(d: ConsistencyDifference): string {
  const who = [d.bookingId && `booking ${d.bookingId}`, d.itemId && `item ${d.itemId}`]
    .filter(Boolean)
    .join(', ');
  return `${d.kind}: ${who ? `${who}: ` : ''}${d.detail}`;
}
