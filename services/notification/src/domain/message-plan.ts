/** From a consumed event to the one message it calls for (or none): template, recipient and view. */
import type { bookingEvents, NotificationTemplate } from '@midas/contracts';
import type { z } from 'zod';
import { buildView, type MessageView, type ViewExtras } from './message-view';
import { chooseTemplate, type ConsumedEventType, type TemplateTrigger } from './template-choice';

export type ConsumedEvent = {
  [K in ConsumedEventType]: { type: K; data: z.output<(typeof bookingEvents)[K]> };
}[ConsumedEventType];

export interface PlannedMessage {
  template: NotificationTemplate;
  bookingId: string;
  /** The guest's address; null when the booking carries none (the message is recorded as failed). */
  to: string | null;
  view: MessageView;
  /** Why `to` is null, when it is not the guest's missing address. */
  missingRecipient?: string;
}

function trigger(event: ConsumedEvent): TemplateTrigger {
  switch (event.type) {
    case 'booking.status_changed':
      return { type: event.type, from: event.data.from, to: event.data.to, reason: event.data.reason };
    case 'refund.issued':
      return { type: event.type, reason: event.data.reason };
    case 'customer.tier_changed':
      return { type: event.type, from: event.data.from, to: event.data.to };
    default:
      return { type: event.type };
  }
}

function extras(event: ConsumedEvent): ViewExtras {
  switch (event.type) {
    case 'booking.status_changed':
      return { refundAmount: event.data.refundAmount, reason: event.data.reason };
    case 'booking.modified':
      return { previous: event.data.previous };
    case 'booking.reminder_due':
      return { offset: event.data.offset };
    case 'payment.failed':
      return { reason: event.data.reason };
    case 'refund.issued':
      return { refundAmount: event.data.amount };
    case 'booking.unassigned_near_start':
      return { hoursBefore: event.data.hoursBefore };
    case 'booking.reassigned':
      return { reason: event.data.reason };
    case 'booking.calendar_conflict':
      return { conflict: event.data.conflict };
    case 'refund.dead_lettered':
      return deadLetteredRefundExtras(event.data);
    case 'customer.tier_changed':
      return {
        tierChange: {
          from: event.data.from,
          to: event.data.to,
          cause: event.data.cause,
          points: event.data.points,
        },
      };
    case 'payment.deposit_declined':
      return declinedDepositExtras(event.data);
  }
}

/** A declined deposit in words: its amount, the provider's own message, and its code and attempts for staff. */
export function declinedDepositExtras(
  data: z.output<(typeof bookingEvents)['payment.deposit_declined']>,
): ViewExtras {
  const attempts = data.attempts === 1 ? '1 attempt' : `${data.attempts} attempts`;
  return {
    depositAmount: data.amount,
    reason: data.reason,
    detail: `${data.provider} answered ${data.code} (${attempts} refused)${
      data.guestCanComplete ? '; the guest can also complete it from their booking' : ''
    }`,
  };
}

/** A dead-lettered refund in words: its amount, what it was for, and what the provider said. */
export function deadLetteredRefundExtras(
  data: z.output<(typeof bookingEvents)['refund.dead_lettered']>,
): ViewExtras {
  const attempts = data.attempts === 1 ? '1 attempt' : `${data.attempts} attempts`;
  return {
    refundAmount: data.amount,
    reason: data.reason,
    detail: `${data.provider} failed ${attempts}${data.lastFailure ? `, last: ${data.lastFailure}` : ''}`,
  };
}

/** A plausible address (something@domain); anything else is not written to. */
export function deliverableAddress(value: string | undefined): string | null {
  const address = value?.trim();
  return address && /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(address) ? address : null;
}

/**
 * A reminder that arrives after the booking started (the service was down, the queue backed
 * up) would announce something already past: it is not sent late.
 */
export function reminderIsLate(event: ConsumedEvent, now: Date): boolean {
  return event.type === 'booking.reminder_due' && Date.parse(event.data.start) <= now.getTime();
}

export function planMessage(event: ConsumedEvent, now: Date = new Date()): PlannedMessage | null {
  const template = chooseTemplate(trigger(event));
  if (!template || reminderIsLate(event, now)) return null;
  return {
    template,
    bookingId: event.data.bookingId,
    to: deliverableAddress(event.data.guest?.email),
    view: buildView(event.data, extras(event)),
  };
}
