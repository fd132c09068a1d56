/**
 * What Midas sends to integrators' webhook endpoints: the event types a subscription may ask
 * for, the versioned payload of each, and `webhook.disabled`, published when a subscription that
 * kept failing is switched off.
 */
import { z } from 'zod';
import { bookingEvents, bookingStatus, bookingSummary } from './booking';

const instant = z.iso.datetime({ offset: true });

export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.confirmed',
  'booking.modified',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'booking.concierge_assigned',
  'payment.succeeded',
  'payment.refunded',
  'calendar.conflict',
] as const;
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventType>;

/** The payload format version; a change that could break a receiver gets a new one. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** Guest details: only in payloads of subscriptions created with `includePersonalData: true`. */
/** A booking as integrators see it: the same fields as the internal events' summary. */
const bookingData = bookingSummary;
const statusData = bookingData.extend({
  from: bookingStatus,
  to: bookingStatus,
  reason: z.string().optional(),
  /** Cancellations: the amount refunded, in minor units. */
  refundAmount: z.number().int().optional(),
});

const payloadOf = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D, description: string) =>
  z
    .object({
      type: z.literal(type),
      version: z.literal(WEBHOOK_PAYLOAD_VERSION),
      /** When the event happened in Midas (not when it was sent). */
      timestamp: instant,
      /**
       * Per booking, increasing in the order Midas recorded the booking's events: deliveries are
       * retried independently, so a receiver orders a booking's events by this number.
       */
      sequence: z.number().int().min(1),
      data,
    })
    .describe(description);

export const webhookPayloads = {
  'booking.created': payloadOf('booking.created', bookingData, 'A booking was made (pending payment).'),
  'booking.confirmed': payloadOf('booking.confirmed', statusData, 'A booking was paid and is confirmed.'),
  'booking.modified': payloadOf(
    'booking.modified',
    bookingData.extend({
      previous: z.object({ start: instant, end: instant, total: z.number().int() }),
    }),
    'A booking was moved or changed; `previous` holds the earlier period and total.',
  ),
  'booking.cancelled': payloadOf('booking.cancelled', statusData, 'A booking was cancelled.'),
  'booking.completed': payloadOf('booking.completed', statusData, 'A booking ended normally.'),
  'booking.no_show': payloadOf('booking.no_show', statusData, 'The guest did not show up.'),
  'booking.concierge_assigned': payloadOf(
    'booking.concierge_assigned',
    statusData,
    'A concierge was assigned to the booking (`conciergeId`).',
  ),
  'payment.succeeded': payloadOf(
    'payment.succeeded',
    bookingEvents['payment.succeeded'],
    "A payment for the booking settled (the first charge, or a change's difference).",
  ),
  'payment.refunded': payloadOf(
    'payment.refunded',
    bookingEvents['refund.issued'].pick({
      bookingId: true,
      amount: true,
      currency: true,
      reason: true,
      paymentId: true,
      purpose: true,
    }),
    'Money was refunded for the booking.',
  ),
  'calendar.conflict': payloadOf(
    'calendar.conflict',
    z.object({
      bookingId: z.uuid(),
      itemId: z.uuid(),
      calendarId: z.string(),
      googleEventId: z.string(),
      start: instant,
      end: instant,
      summary: z.string(),
    }),
    "An event in the item's linked calendar overlaps this booking (one delivery per affected booking).",
  ),
} satisfies Record<WebhookEventType, z.ZodType>;
export type WebhookPayload<T extends WebhookEventType = WebhookEventType> = z.infer<
  (typeof webhookPayloads)[T]
>;

export const webhookEvents = {
  /** A subscription was switched off after failing too long; admins are told. */
  'webhook.disabled': z.object({
    subscriptionId: z.uuid(),
    url: z.string(),
    consecutiveFailures: z.number().int().min(0),
    failingSince: instant,
    reason: z.string(),
  }),
} as const;
export type WebhookEventName = keyof typeof webhookEvents;
