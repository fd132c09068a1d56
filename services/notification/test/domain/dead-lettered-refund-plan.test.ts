/** The admins' messages about dead-lettered refunds: one message to every configured admin, the provider's word and the refund to act on, recorded as failed without admins. */
import fc from 'fast-check';
import { planMessage } from '../../src/domain/message-plan';
import { NO_ADMINS_ERROR, planStaffMessages } from '../../src/domain/staff-plan';
import { summary } from './fixtures';

const refundId = '7b3d9f2e-1111-4222-8333-444455556666';

function deadLettered(overrides: { attempts?: number; lastFailure?: string; amount?: number } = {}) {
  return {
    type: 'refund.dead_lettered' as const,
    data: {
      ...summary({ status: 'cancelled' }),
      amount: overrides.amount ?? 120_050,
      paymentId: refundId,
      purpose: 'cancellation',
      reason: 'plans changed',
      provider: 'stripe',
      attempts: overrides.attempts ?? 5,
      ...(overrides.lastFailure !== undefined ? { lastFailure: overrides.lastFailure } : {}),
    },
  };
}

describe('a dead-lettered refund', () => {
  it('plans one message to all admins with the amount, the attempts, the provider reason and the refund id', () => {
    const [message, ...rest] = planStaffMessages(deadLettered({ lastFailure: 'expired_or_canceled_card' }), {
      adminEmails: ['ops@midas.test', ' owner@midas.test ', 'not-an-address'],
    });
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      template: 'staff_refund_dead_lettered',
      to: 'ops@midas.test, owner@midas.test',
      bookingId: summary().bookingId,
    });
    expect(message!.view).toMatchObject({
      refund: '€1,200.50',
      refundId,
      reason: 'plans changed',
      detail: 'stripe failed 5 attempts, last: expired_or_canceled_card',
    });
  });

  it('says "1 attempt" and leaves the reason out when the provider gave none', () => {
    const [message] = planStaffMessages(deadLettered({ attempts: 1 }), { adminEmails: ['ops@midas.test'] });
    expect(message!.view.detail).toBe('stripe failed 1 attempt');
  });

  it('is recorded as failed, with the reason, when no admin address is configured', () => {
    for (const adminEmails of [[], ['', 'nobody']]) {
      const [message] = planStaffMessages(deadLettered(), { adminEmails });
      expect(message).toMatchObject({ to: null, missingRecipient: NO_ADMINS_ERROR });
    }
  });

  it('never writes to the guest, whatever the refund', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 100 }),
        (amount, attempts) => {
          expect(planMessage(deadLettered({ amount, attempts }))).toBeNull();
          const staff = planStaffMessages(deadLettered({ amount, attempts }), {
            adminEmails: ['ops@midas.test'],
          });
          expect(staff.map((m) => m.to)).toEqual(['ops@midas.test']);
        },
      ),
    );
  });
});
