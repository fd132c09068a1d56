import fc from 'fast-check';
import { BOOKING_STATUSES, webhookPayloads, type BookingSummary } from '@midas/contracts';
import { payloadBody, WEBHOOK_STATUSES, webhookEventsFor } from '../../../src/webhooks/domain/webhook-event';

const summary = (over: Partial<BookingSummary> = {}): BookingSummary => ({
  bookingId: '6f1c1e52-4f41-4b43-9d7e-1a2b3c4d5e6f',
  itemId: '0b8f4a7e-9e43-4a55-8b1f-2c3d4e5f6a7b',
  itemType: 'yacht',
  itemName: 'Riva',
  location: 'Monaco',
  timezone: 'Europe/Monaco',
  start: '2037-07-01T08:00:00.000Z',
  end: '2037-07-01T16:00:00.000Z',
  status: 'confirmed',
  currency: 'EUR',
  total: 480_000,
  guest: { name: 'Camille Durand', email: 'camille@example.com', phone: '+33600000000' },
  customerId: 'cust-1',
  ...over,
});
const meta = { timestamp: '2037-06-01T10:00:00.000Z', sequence: 3 };

describe('which webhook events a Midas event becomes', () => {
  it('names a status change by the status reached, and sends nothing for statuses not offered', () => {
    const expected: Record<string, string | undefined> = {
      confirmed: 'booking.confirmed',
      cancelled: 'booking.cancelled',
      completed: 'booking.completed',
      no_show: 'booking.no_show',
      concierge_assigned: 'booking.concierge_assigned',
    };
    for (const to of BOOKING_STATUSES) {
      const events = webhookEventsFor({
        type: 'booking.status_changed',
        data: { ...summary({ status: to }), from: 'pending_payment', to, actor: 'system' },
      });
      expect(events.map((e) => e.type)).toEqual(expected[to] ? [expected[to]] : []);
    }
    // What the consumer binds: exactly the statuses that become an event.
    expect([...WEBHOOK_STATUSES].sort()).toEqual(Object.keys(expected).sort());
  });

  it('turns a refund into payment.refunded and a calendar conflict into one event per booking', () => {
    const [refund] = webhookEventsFor({
      type: 'refund.issued',
      data: { ...summary(), amount: 1000, reason: 'goodwill' },
    });
    expect(refund).toMatchObject({ type: 'payment.refunded', data: { amount: 1000, currency: 'EUR' } });
    const ids = ['a3b8d1b6-0b3b-4b1a-9c1a-0b3b4b1a9c1a', 'b4c9e2c7-1c4c-4c2b-8d2b-1c4c4c2b8d2b'];
    const conflicts = webhookEventsFor({
      type: 'calendar.conflict',
      data: {
        itemId: summary().itemId,
        calendarId: 'cal',
        googleEventId: 'g1',
        start: meta.timestamp,
        end: meta.timestamp,
        summary: 'Maintenance',
        bookingIds: [ids[0]!, ids[1]!, ids[0]!],
      },
    });
    expect(conflicts.map((c) => c.bookingId)).toEqual(ids);
  });

  it('keeps guest details out of every payload unless the subscription asked, and each payload matches its schema', () => {
    const sources = fc.constantFrom(
      { type: 'booking.created' as const, data: summary({ status: 'pending_payment' }) },
      {
        type: 'booking.status_changed' as const,
        data: {
          ...summary(),
          from: 'confirmed' as const,
          to: 'cancelled' as const,
          actor: 'u1',
          refundAmount: 10,
        },
      },
      {
        type: 'booking.modified' as const,
        data: {
          ...summary(),
          previous: { start: meta.timestamp, end: meta.timestamp, total: 1 },
          actor: 'u1',
        },
      },
      {
        type: 'payment.succeeded' as const,
        data: { bookingId: summary().bookingId, provider: 'local', amount: 5, currency: 'EUR' },
      },
    );
    fc.assert(
      fc.property(
        sources,
        fc.boolean(),
        fc.integer({ min: 1, max: 10_000 }),
        (source, personal, sequence) => {
          for (const event of webhookEventsFor(source)) {
            const body = payloadBody(event, { ...meta, sequence, includePersonalData: personal });
            const parsed = webhookPayloads[event.type].parse(JSON.parse(body));
            expect(parsed.sequence).toBe(sequence);
            const text = JSON.stringify(parsed);
            for (const secret of ['Camille', 'camille@example.com', '+33600000000', 'cust-1', 'u1']) {
              if (!personal || secret === 'u1') expect(text).not.toContain(secret);
            }
            if (personal && source.type !== 'payment.succeeded')
              expect(text).toContain('camille@example.com');
          }
        },
      ),
    );
  });
});
