import fc from 'fast-check';
import { BOOKING_STATUSES, NOTIFICATION_TEMPLATES } from '@midas/contracts';
import {
  chooseTemplate,
  GUEST_MESSAGE_STATUSES,
  LATE_PAYMENT_REFUND_REASON,
} from '../../src/domain/template-choice';

const status = fc.constantFrom(...BOOKING_STATUSES);

describe('chooseTemplate', () => {
  it('tells the guest about confirmation, cancellation, no-show and a lapsed hold', () => {
    expect(chooseTemplate({ type: 'booking.status_changed', from: 'pending_payment', to: 'confirmed' })).toBe(
      'booking_confirmed',
    );
    expect(chooseTemplate({ type: 'booking.status_changed', from: 'confirmed', to: 'cancelled' })).toBe(
      'booking_cancelled',
    );
    expect(chooseTemplate({ type: 'booking.status_changed', from: 'ready', to: 'no_show' })).toBe(
      'booking_no_show',
    );
    expect(chooseTemplate({ type: 'booking.status_changed', from: 'pending_payment', to: 'expired' })).toBe(
      'hold_expired',
    );
  });

  it('stays quiet for staff-side steps and for the refund that settles a cancellation already announced', () => {
    fc.assert(
      fc.property(
        status,
        fc.constantFrom(
          'concierge_assigned',
          'ready',
          'in_progress',
          'completed',
          'refunded',
          'pending_payment' as const,
        ),
        (from, to) => {
          expect(chooseTemplate({ type: 'booking.status_changed', from, to })).toBeNull();
        },
      ),
    );
  });

  it('has a template only for the statuses the consumer binds (GUEST_MESSAGE_STATUSES)', () => {
    fc.assert(
      fc.property(status, status, fc.option(fc.string(), { nil: undefined }), (from, to, reason) => {
        if (chooseTemplate({ type: 'booking.status_changed', from, to, reason }) !== null)
          expect(GUEST_MESSAGE_STATUSES).toContain(to);
      }),
    );
    expect([...GUEST_MESSAGE_STATUSES].sort()).toEqual(['cancelled', 'confirmed', 'expired', 'no_show']);
  });

  it('gives at most one known template for any status change', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        const template = chooseTemplate({ type: 'booking.status_changed', from, to });
        expect(template === null || (NOTIFICATION_TEMPLATES as readonly string[]).includes(template)).toBe(
          true,
        );
      }),
    );
  });

  it('sends nothing for the cancellation a late payment for a taken slot causes, since its refund message tells the guest', () => {
    fc.assert(
      fc.property(status, (from) => {
        fc.pre(from !== 'cancelled');
        expect(
          chooseTemplate({
            type: 'booking.status_changed',
            from,
            to: 'cancelled',
            reason: LATE_PAYMENT_REFUND_REASON,
          }),
        ).toBeNull();
      }),
    );
    // Any other reason for a cancellation is announced as before.
    fc.assert(
      fc.property(
        status,
        fc.option(
          fc.string().filter((r) => r !== LATE_PAYMENT_REFUND_REASON),
          { nil: undefined },
        ),
        (from, reason) => {
          fc.pre(from !== 'cancelled');
          expect(chooseTemplate({ type: 'booking.status_changed', from, to: 'cancelled', reason })).toBe(
            'booking_cancelled',
          );
        },
      ),
    );
  });

  it('sends the late-payment refund only for a refund caused by a payment after the slot was taken', () => {
    expect(chooseTemplate({ type: 'refund.issued', reason: LATE_PAYMENT_REFUND_REASON })).toBe(
      'late_payment_refund',
    );
    fc.assert(
      fc.property(
        fc.string().filter((r) => r !== LATE_PAYMENT_REFUND_REASON),
        (reason) => {
          expect(chooseTemplate({ type: 'refund.issued', reason })).toBeNull();
        },
      ),
    );
  });

  it('maps modifications, reminders and failed payments to their own templates', () => {
    expect(chooseTemplate({ type: 'booking.modified' })).toBe('booking_modified');
    expect(chooseTemplate({ type: 'booking.reminder_due' })).toBe('booking_reminder');
    expect(chooseTemplate({ type: 'payment.failed' })).toBe('payment_failed');
  });
});
