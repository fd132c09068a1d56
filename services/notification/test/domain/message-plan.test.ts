import fc from 'fast-check';
import { deliverableAddress, planMessage } from '../../src/domain/message-plan';
import { summary } from './fixtures';

describe('planMessage', () => {
  it('turns a 1h reminder into the reminder template saying "1 hour", addressed to the guest', () => {
    const planned = planMessage(
      { type: 'booking.reminder_due', data: { ...summary(), offset: '1h', dueAt: '2026-07-01T07:00:00Z' } },
      new Date('2026-07-01T07:00:05Z'),
    );
    expect(planned).toMatchObject({
      template: 'booking_reminder',
      to: 'alex@example.com',
      bookingId: summary().bookingId,
    });
    expect(planned?.view.offset).toBe('1 hour');
  });

  it('never sends a reminder late: one arriving at or after the start is dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }), (offsetMs) => {
        const start = Date.parse(summary().start);
        const planned = planMessage(
          { type: 'booking.reminder_due', data: { ...summary(), offset: '1h', dueAt: summary().start } },
          new Date(start + offsetMs),
        );
        expect(planned === null).toBe(offsetMs >= 0);
      }),
    );
  });

  it('carries the refund of a cancellation into the message', () => {
    const planned = planMessage({
      type: 'booking.status_changed',
      data: {
        ...summary({ status: 'cancelled' }),
        from: 'confirmed',
        to: 'cancelled',
        actor: 'customer',
        refundAmount: 50_000,
      },
    });
    expect(planned?.template).toBe('booking_cancelled');
    expect(planned?.view.refund).toBe('€500.00');
  });

  it('plans the late-payment refund with the amount refunded', () => {
    const planned = planMessage({
      type: 'refund.issued',
      data: { ...summary(), amount: 245_000, reason: 'late_payment_slot_taken' },
    });
    expect(planned?.template).toBe('late_payment_refund');
    expect(planned?.view.refund).toBe('€2,450.00');
  });

  it('plans nothing for a status change the guest need not hear about', () => {
    expect(
      planMessage({
        type: 'booking.status_changed',
        data: { ...summary(), from: 'confirmed', to: 'concierge_assigned', actor: 'system' },
      }),
    ).toBeNull();
  });

  it('keeps the message but no recipient when the booking has no usable address', () => {
    const planned = planMessage({
      type: 'payment.failed',
      data: { ...summary({ guest: undefined }), provider: 'local', reason: 'card declined' },
    });
    expect(planned).toMatchObject({ template: 'payment_failed', to: null });
  });
});

describe('deliverableAddress', () => {
  it('accepts plain addresses and refuses anything that could smuggle extra recipients', () => {
    expect(deliverableAddress(' alex@example.com ')).toBe('alex@example.com');
    for (const bad of ['', 'alex', 'a@b', 'a@b.co, c@d.co', 'Alex <a@b.co>', 'a@b.co\r\nBcc: c@d.co']) {
      expect(deliverableAddress(bad)).toBeNull();
    }
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const result = deliverableAddress(email);
        expect(result === null || result === email).toBe(true);
      }),
    );
  });
});
