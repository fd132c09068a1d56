/** Renders a template with sample booking data, overridden by whatever staff chose to try. */
import type { BookingSummary, NotificationTemplate } from '@midas/contracts';
import { buildView } from '../domain/message-view';
import { renderMessage, type RenderedMessage } from '../domain/renderer';

export interface PreviewInput {
  guestName?: string;
  itemName?: string;
  location?: string;
  timezone?: string;
  start?: string;
  end?: string;
  currency?: string;
  total?: number;
  offset?: string;
  refundAmount?: number;
  reason?: string;
}

const SAMPLE_BOOKING_ID = '5a3e9c1d-7b2f-4e8a-9c6d-1f2e3a4b5c6d';

export function previewTemplate(
  template: NotificationTemplate,
  input: PreviewInput,
  now = new Date(),
): RenderedMessage {
  const start = input.start ?? new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const end = input.end ?? new Date(Date.parse(start) + 2 * 86_400_000).toISOString();
  const total = input.total ?? 245_000;
  const summary: BookingSummary = {
    bookingId: SAMPLE_BOOKING_ID,
    itemId: SAMPLE_BOOKING_ID,
    itemType: 'car',
    itemName: input.itemName ?? 'Ferrari Roma',
    location: input.location ?? 'Monaco',
    timezone: input.timezone ?? 'Europe/Monaco',
    start,
    end,
    status: 'confirmed',
    currency: input.currency ?? 'EUR',
    total,
    guest: { name: input.guestName ?? 'Alex Martin', email: 'guest@example.com' },
  };
  return renderMessage(
    template,
    buildView(summary, {
      offset: input.offset ?? '24h',
      refundAmount:
        input.refundAmount ?? (template === 'late_payment_refund' ? total : Math.round(total / 2)),
      reason: input.reason,
      previous:
        template === 'booking_modified'
          ? {
              start: new Date(Date.parse(start) - 86_400_000).toISOString(),
              end: start,
              total: Math.round(total * 0.8),
            }
          : undefined,
      conflict:
        template === 'staff_calendar_conflict'
          ? {
              calendarId: 'midas-cars@group.calendar.google.com',
              start,
              end: new Date(Date.parse(start) + 4 * 3_600_000).toISOString(),
              summary: 'Annual service',
            }
          : undefined,
      tierChange:
        template === 'loyalty_tier_up'
          ? { from: 'standard', to: 'premium', cause: 'payment', points: 52_300 }
          : undefined,
    }),
  );
}
