/** What a template sees: the booking summary of an event, turned into words, money and local times. */
import { formatMoney, type BookingSummary } from '@midas/contracts';
import { describeOffset } from './offset';
import { describeDuration, describePeriod, formatInstant, type PeriodView } from './period';

export interface MessageView {
  guestName: string;
  /** How the greeting addresses the guest: the first name, or a neutral word when none is known. */
  greetingName: string;
  itemName: string;
  itemType: string;
  location: string;
  bookingId: string;
  /** Short reference a guest can read out on the phone. */
  bookingRef: string;
  labels: { start: string; end: string };
  period: PeriodView;
  total: string;
  /** Set for cancellations and refunds: the amount going back to the guest. */
  refund: string | null;
  /** True when a cancellation carried an amount of zero. */
  noRefund: boolean;
  /** Reminders: how long before the start, in words. */
  offset: string | null;
  reason: string | null;
  previous: { start: string; end: string; duration: string; total: string } | null;
  /** Staff messages: how the guest can be reached, in one line. */
  guestContact: string;
  /** Staff messages: whom the message greets (the concierge's first name, or the team). */
  staffName: string;
  /** Unassigned-booking alerts: the configured window, in words. */
  hoursBefore: string | null;
  /** Staff messages: what is asked of them, or the event's own detail. */
  detail: string | null;
  /** Calendar conflicts: the outside event over the booking, its times in the item's zone. */
  conflict: { title: string; start: string; end: string; calendarId: string } | null;
  /** Dead-lettered refund alerts: the refund staff retry or resolve. */
  refundId: string | null;
  /** Tier-up messages: the tiers by name, why it moved, and the points balance. */
  tierChange: { from: string; to: string; because: string; points: string } | null;
  /** Declined deposits: the amount the card refused to hold. */
  deposit: string | null;
}

export interface ViewExtras {
  refundAmount?: number;
  depositAmount?: number;
  offset?: string;
  reason?: string;
  previous?: { start: string; end: string; total: number };
  hoursBefore?: number;
  staffName?: string;
  detail?: string;
  conflict?: { calendarId: string; start: string; end: string; summary: string };
  refundId?: string;
  tierChange?: { from: string; to: string; cause: 'payment' | 'completed_booking'; points: number };
}

/** Words for the start and end of a rental, by kind of item. */
const LABELS: Record<string, { start: string; end: string }> = {
  car: { start: 'Pick-up', end: 'Return' },
  yacht: { start: 'Embarkation', end: 'Disembarkation' },
  jet: { start: 'Departure', end: 'Return' },
  property: { start: 'Check-in', end: 'Check-out' },
};
const DEFAULT_LABELS = { start: 'Starts', end: 'Ends' };

function contactLine(summary: BookingSummary): string {
  const g = summary.guest;
  if (!g) return 'no contact details on file';
  return [g.name.trim() || 'unnamed guest', g.email, g.phone].filter(Boolean).join(', ');
}

function hoursInWords(hours: number): string {
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

export function bookingReference(bookingId: string): string {
  return bookingId.replace(/-/g, '').slice(0, 8).toUpperCase();
}

export function buildView(summary: BookingSummary, extras: ViewExtras = {}): MessageView {
  const guestName = summary.guest?.name.trim() ?? '';
  const period = describePeriod(summary.start, summary.end, summary.timezone);
  return {
    guestName,
    greetingName: guestName.split(/\s+/)[0] || 'guest',
    itemName: summary.itemName,
    itemType: summary.itemType,
    location: summary.location,
    bookingId: summary.bookingId,
    bookingRef: bookingReference(summary.bookingId),
    labels: LABELS[summary.itemType] ?? DEFAULT_LABELS,
    period,
    total: formatMoney(summary.total, summary.currency),
    refund: extras.refundAmount === undefined ? null : formatMoney(extras.refundAmount, summary.currency),
    deposit: extras.depositAmount === undefined ? null : formatMoney(extras.depositAmount, summary.currency),
    noRefund: extras.refundAmount === 0,
    offset: extras.offset === undefined ? null : describeOffset(extras.offset),
    reason: extras.reason?.trim() || null,
    previous: extras.previous
      ? {
          start: formatInstant(extras.previous.start, period.timezone),
          end: formatInstant(extras.previous.end, period.timezone),
          duration: describeDuration(extras.previous.start, extras.previous.end, period.timezone),
          total: formatMoney(extras.previous.total, summary.currency),
        }
      : null,
    guestContact: contactLine(summary),
    staffName: extras.staffName?.trim().split(/\s+/)[0] || 'team',
    hoursBefore: extras.hoursBefore === undefined ? null : hoursInWords(extras.hoursBefore),
    detail: extras.detail?.trim() || null,
    conflict: extras.conflict
      ? {
          title: extras.conflict.summary.trim() || 'an untitled event',
          start: formatInstant(extras.conflict.start, period.timezone),
          end: formatInstant(extras.conflict.end, period.timezone),
          calendarId: extras.conflict.calendarId,
        }
      : null,
    refundId: extras.refundId ?? null,
    tierChange: extras.tierChange
      ? {
          from: tierName(extras.tierChange.from),
          to: tierName(extras.tierChange.to),
          because:
            extras.tierChange.cause === 'payment'
              ? 'with your latest payment'
              : 'with your latest completed booking',
          points: extras.tierChange.points.toLocaleString('en'),
        }
      : null,
  };
}

/** A loyalty tier as the customer reads it: `vvip` -> `VVIP`, `premium` -> `Premium`. */
export function tierName(tier: string): string {
  if (tier === 'vvip') return 'VVIP';
  return tier.charAt(0).toUpperCase() + tier.slice(1);
}
