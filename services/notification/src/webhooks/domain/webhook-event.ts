/**
 * Which webhook events a Midas event becomes, and the body each subscription receives. A status
 * change is named by the status it reached (statuses integrators were not promised send
 * nothing); a calendar conflict becomes one event per affected booking. Guest details are kept
 * apart so only subscriptions that asked for them get them.
 */
import {
  WEBHOOK_PAYLOAD_VERSION,
  type BookingStatus,
  type WebhookEventType,
  bookingEvents,
  calendarEvents,
} from '@midas/contracts';
import type { z } from 'zod';

type In<T extends keyof typeof bookingEvents> = z.output<(typeof bookingEvents)[T]>;

export type SourceEvent =
  | { type: 'booking.created'; data: In<'booking.created'> }
  | { type: 'booking.status_changed'; data: In<'booking.status_changed'> }
  | { type: 'booking.modified'; data: In<'booking.modified'> }
  | { type: 'payment.succeeded'; data: In<'payment.succeeded'> }
  | { type: 'refund.issued'; data: In<'refund.issued'> }
  | { type: 'calendar.conflict'; data: z.output<(typeof calendarEvents)['calendar.conflict']> };

export const SOURCE_EVENT_TYPES = [
  'booking.created',
  'booking.status_changed',
  'booking.modified',
  'payment.succeeded',
  'refund.issued',
  'calendar.conflict',
] as const satisfies SourceEvent['type'][];

export interface WebhookEvent {
  type: WebhookEventType;
  bookingId: string;
  /** The payload's `data` without personal details. */
  data: Record<string, unknown>;
  /** Added to `data` for subscriptions with `includePersonalData`. */
  personal: Record<string, unknown>;
}

const STATUS_EVENTS: Partial<Record<BookingStatus, WebhookEventType>> = {
  confirmed: 'booking.confirmed',
  cancelled: 'booking.cancelled',
  completed: 'booking.completed',
  no_show: 'booking.no_show',
  concierge_assigned: 'booking.concierge_assigned',
};

/** The status changes that become a webhook event: the only ones the webhook consumer binds. */
export const WEBHOOK_STATUSES = Object.keys(STATUS_EVENTS) as BookingStatus[];

function bookingParts(summary: In<'booking.created'>) {
  const data: Record<string, unknown> = {
    bookingId: summary.bookingId,
    itemId: summary.itemId,
    itemType: summary.itemType,
    itemName: summary.itemName,
    location: summary.location,
    timezone: summary.timezone,
    start: summary.start,
    end: summary.end,
    status: summary.status,
    currency: summary.currency,
    total: summary.total,
  };
  if (summary.conciergeId !== undefined) data.conciergeId = summary.conciergeId;
  const personal: Record<string, unknown> = {};
  if (summary.guest !== undefined) personal.guest = summary.guest;
  if (summary.customerId !== undefined) personal.customerId = summary.customerId;
  return { data, personal };
}

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** What payment events tell integrators, in the order their payloads list it. */
const PAYMENT_FIELDS = ['bookingId', 'provider', 'amount', 'currency', 'paymentId', 'purpose'] as const;
const REFUND_FIELDS = ['bookingId', 'amount', 'currency', 'reason', 'paymentId', 'purpose'] as const;

/** A payment event carries the named fields of its source, in that order, and nothing personal. */
function paymentEvent<D extends { bookingId: string }>(
  type: WebhookEventType,
  source: D,
  fields: readonly (keyof D & string)[],
): WebhookEvent[] {
  const data = defined(Object.fromEntries(fields.map((field) => [field, source[field]])));
  return [{ type, bookingId: source.bookingId, data, personal: {} }];
}

export function webhookEventsFor(event: SourceEvent): WebhookEvent[] {
  switch (event.type) {
    case 'booking.created': {
      const { data, personal } = bookingParts(event.data);
      return [{ type: 'booking.created', bookingId: event.data.bookingId, data, personal }];
    }
    case 'booking.status_changed': {
      const type = STATUS_EVENTS[event.data.to];
      if (!type) return [];
      const { data, personal } = bookingParts(event.data);
      const extra = defined({
        from: event.data.from,
        to: event.data.to,
        reason: event.data.reason,
        refundAmount: event.data.refundAmount,
      });
      return [{ type, bookingId: event.data.bookingId, data: { ...data, ...extra }, personal }];
    }
    case 'booking.modified': {
      const { data, personal } = bookingParts(event.data);
      return [
        {
          type: 'booking.modified',
          bookingId: event.data.bookingId,
          data: { ...data, previous: event.data.previous },
          personal,
        },
      ];
    }
    case 'payment.succeeded':
      return paymentEvent('payment.succeeded', event.data, PAYMENT_FIELDS);
    case 'refund.issued':
      return paymentEvent('payment.refunded', event.data, REFUND_FIELDS);
    case 'calendar.conflict': {
      const d = event.data;
      return [...new Set(d.bookingIds)].map((bookingId) => ({
        type: 'calendar.conflict' as const,
        bookingId,
        data: {
          bookingId,
          itemId: d.itemId,
          calendarId: d.calendarId,
          googleEventId: d.googleEventId,
          start: d.start,
          end: d.end,
          summary: d.summary,
        },
        personal: {},
      }));
    }
  }
}

/** The exact body sent (and stored, so every retry and replay sends the same bytes). */
export function payloadBody(
  event: WebhookEvent,
  meta: { timestamp: string; sequence: number; includePersonalData: boolean },
): string {
  return JSON.stringify({
    type: event.type,
    version: WEBHOOK_PAYLOAD_VERSION,
    timestamp: meta.timestamp,
    sequence: meta.sequence,
    data: meta.includePersonalData ? { ...event.data, ...event.personal } : event.data,
  });
}
