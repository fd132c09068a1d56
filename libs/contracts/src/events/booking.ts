/** Events published by the booking service (routing key = type, with the status reached for a status change: events/routing.ts). */
import { z } from 'zod';
import { tier } from '../rpc/pricing';

const instant = z.iso.datetime({ offset: true });
export const BOOKING_STATUSES = [
  'pending_payment',
  'confirmed',
  'concierge_assigned',
  'ready',
  'in_progress',
  'completed',
  'cancelled',
  'refunded',
  'expired',
  'no_show',
] as const;
export const bookingStatus = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof bookingStatus>;

export const bookingSummary = z.object({
  bookingId: z.uuid(),
  itemId: z.uuid(),
  itemType: z.string(),
  itemName: z.string(),
  location: z.string(),
  timezone: z.string(),
  start: instant,
  end: instant,
  status: bookingStatus,
  currency: z.string(),
  total: z.number().int(),
  guest: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }).optional(),
  customerId: z.string().optional(),
  conciergeId: z.string().optional(),
});
export type BookingSummary = z.infer<typeof bookingSummary>;

/** Where a concierge's messages go, carried by the events that concern them. */
export const conciergeContact = z.object({ id: z.string(), name: z.string(), email: z.string() });
export type ConciergeContact = z.infer<typeof conciergeContact>;
/** Set on the events that tell the assigned concierge something (`conciergeId`'s contact). */
const withConcierge = { concierge: conciergeContact.optional() };

export const bookingEvents = {
  'booking.created': bookingSummary,
  'booking.status_changed': bookingSummary.extend({
    from: bookingStatus,
    to: bookingStatus,
    actor: z.string(),
    reason: z.string().optional(),
    refundAmount: z.number().int().optional(),
    ...withConcierge,
  }),
  'booking.modified': bookingSummary.extend({
    previous: z.object({ start: instant, end: instant, total: z.number().int() }),
    actor: z.string(),
    ...withConcierge,
  }),
  /** A reminder moment came for a booking; `offset` is its label such as `1h`. */
  'booking.reminder_due': bookingSummary.extend({ offset: z.string(), dueAt: instant }),
  'payment.succeeded': z.object({
    bookingId: z.uuid(),
    provider: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    /** Which charge settled (the booking's first, or the difference of a change). */
    paymentId: z.uuid().optional(),
    purpose: z.string().optional(),
  }),
  'payment.failed': bookingSummary.extend({ provider: z.string(), reason: z.string() }),
  /**
   * The security deposit could not be authorised at its lead time (DEPOSIT_AUTH_LEAD_HOURS before
   * the start): the card refused it, the bank wants the guest present, or the provider's hold could
   * not be renewed. The booking shows `depositStatus: declined`; the guest and the admins are told.
   * Staff try again with POST /v1/bookings/:id/deposit/authorize once the guest updated their card;
   * with `guestCanComplete` the guest can also complete it themselves (the deposit's client secret).
   */
  'payment.deposit_declined': bookingSummary.extend({
    provider: z.string(),
    /** Our deposit's payment id. */
    paymentId: z.uuid(),
    amount: z.number().int(),
    /** The provider's code: card_declined, authentication_required, payer_approval_required, authorization_expired... */
    code: z.string(),
    reason: z.string(),
    /** Authorisation attempts refused so far. */
    attempts: z.number().int(),
    guestCanComplete: z.boolean(),
  }),
  /** An admin handed an assigned booking to another concierge (`conciergeId` is the new one). */
  'booking.reassigned': bookingSummary.extend({
    previousConciergeId: z.string(),
    actor: z.string(),
    reason: z.string().optional(),
    ...withConcierge,
    previousConcierge: conciergeContact.optional(),
  }),
  /**
   * A confirmed booking is still without a concierge this close to its start: admins are told
   * once per booking (`hoursBefore` is the configured window).
   */
  'booking.unassigned_near_start': bookingSummary.extend({ hoursBefore: z.number() }),
  /**
   * An event someone else put in the item's calendar (Google, another channel's feed) lies over
   * this booking and was recorded in its history (from `calendar.conflict`): staff must resolve
   * it. `concierge` is the assigned, active concierge, who is told; without one the admins are.
   * Once per booking and outside event period, however often the conflict is reported.
   */
  'booking.calendar_conflict': bookingSummary.extend({
    conflict: z.object({
      calendarId: z.string(),
      googleEventId: z.string(),
      start: instant,
      end: instant,
      /** The outside event's title as written there (staff-authored, never guest data). */
      summary: z.string(),
    }),
    ...withConcierge,
  }),
  /**
   * A settled booking's personal data (guest name, email, phone) was erased at an admin's
   * request: every service drops its copies. Carries no personal data itself.
   */
  'booking.erased': z.object({ bookingId: z.uuid(), erasedAt: instant, actor: z.string() }),
  'refund.issued': bookingSummary.extend({
    amount: z.number().int(),
    reason: z.string(),
    paymentId: z.uuid().optional(),
    purpose: z.string().optional(),
  }),
  /**
   * The provider failed a refund REFUND_MAX_ATTEMPTS times: no more automatic attempts, staff
   * retry or resolve it by hand (POST /v1/payments/refunds/:id/retry or /resolve).
   */
  'refund.dead_lettered': bookingSummary.extend({
    amount: z.number().int(),
    paymentId: z.uuid(),
    purpose: z.string(),
    reason: z.string(),
    provider: z.string(),
    /** Failed attempts at the provider. */
    attempts: z.number().int(),
    /** The provider's reason for the last failure, when it gave one. */
    lastFailure: z.string().optional(),
  }),
  /**
   * A customer's loyalty tier went up (by spend or by completed bookings), on this booking's
   * settled payment (`cause: payment`) or completion (`completed_booking`). `guest` is where the
   * customer's messages go: their saved profile, else the booking's contact. `points` is their
   * balance after it. Never sent for a tier that stays or goes down.
   */
  'customer.tier_changed': bookingSummary.extend({
    customerId: z.string(),
    from: tier,
    to: tier,
    cause: z.enum(['payment', 'completed_booking']),
    points: z.number().int().min(0),
  }),
} as const;
export type BookingEventType = keyof typeof bookingEvents;
