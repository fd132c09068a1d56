/** A declined security deposit: the guest's message and the admins' one, with the amount and the provider's word, never more than one each. */
import fc from 'fast-check';
import { planMessage } from '../../src/domain/message-plan';
import { renderMessage } from '../../src/domain/renderer';
import { NO_ADMINS_ERROR, planStaffMessages } from '../../src/domain/staff-plan';
import { summary } from './fixtures';

const depositId = '5c2a8e1d-2222-4333-8444-555566667777';

function declined(
  overrides: {
    code?: string;
    reason?: string;
    attempts?: number;
    amount?: number;
    guestCanComplete?: boolean;
  } = {},
) {
  return {
    type: 'payment.deposit_declined' as const,
    data: {
      ...summary({ status: 'confirmed' }),
      provider: 'stripe',
      paymentId: depositId,
      amount: overrides.amount ?? 2_000_000,
      code: overrides.code ?? 'card_declined',
      reason: overrides.reason ?? 'Your card has insufficient funds.',
      attempts: overrides.attempts ?? 1,
      guestCanComplete: overrides.guestCanComplete ?? true,
    },
  };
}

describe('a declined deposit', () => {
  it('tells the guest the amount and what their bank said, and how the booking stands', () => {
    const message = planMessage(declined());
    expect(message).toMatchObject({ template: 'deposit_declined', to: summary().guest!.email });
    expect(message!.view).toMatchObject({
      deposit: '€20,000.00',
      reason: 'Your card has insufficient funds.',
    });
    const { subject, text, html } = renderMessage('deposit_declined', message!.view);
    expect(subject).toBe(`Action needed: the security deposit for ${summary().itemName} was declined`);
    expect(text).toContain('the security deposit of €20,000.00');
    expect(text).toContain('Your bank or card provider said: Your card has insufficient funds.');
    expect(text).toContain('Nothing was charged and your booking stands.');
    expect(html).toContain('<strong>€20,000.00</strong>');
  });

  it('tells all admins in one message, with the code, the attempts and the route to ask again', () => {
    const [message, ...rest] = planStaffMessages(declined({ attempts: 2, code: 'authentication_required' }), {
      adminEmails: ['ops@midas.test', ' owner@midas.test '],
    });
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      template: 'staff_deposit_declined',
      to: 'ops@midas.test, owner@midas.test',
    });
    expect(message!.view.detail).toBe(
      'stripe answered authentication_required (2 attempts refused); the guest can also complete it from their booking',
    );
    const { subject, text } = renderMessage('staff_deposit_declined', message!.view);
    expect(subject).toBe(`Deposit declined: €20,000.00 for booking ${message!.view.bookingRef}`);
    expect(text).toContain(`/v1/bookings/${summary().bookingId}/deposit/authorize`);
    expect(text).toContain('The provider said: Your card has insufficient funds.');
  });

  it('is recorded as failed for the admins, with the reason, when no admin address is configured', () => {
    const [message] = planStaffMessages(declined({ guestCanComplete: false, attempts: 1 }), {
      adminEmails: [],
    });
    expect(message).toMatchObject({ to: null, missingRecipient: NO_ADMINS_ERROR });
    expect(message!.view.detail).toBe('stripe answered card_declined (1 attempt refused)');
  });

  it('gives exactly one guest message and one admin message, whatever the decline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(
          'card_declined',
          'authentication_required',
          'authorization_expired',
          'payer_approval_required',
        ),
        fc.boolean(),
        (amount, attempts, code, guestCanComplete) => {
          const event = declined({ amount, attempts, code, guestCanComplete });
          expect(planMessage(event)?.template).toBe('deposit_declined');
          const staff = planStaffMessages(event, { adminEmails: ['ops@midas.test'] });
          expect(staff.map((m) => [m.template, m.to])).toEqual([
            ['staff_deposit_declined', 'ops@midas.test'],
          ]);
        },
      ),
    );
  });
});
