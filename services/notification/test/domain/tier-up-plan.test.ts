/** The customer's tier-up email: planned only for an upgrade, to the address the event carries, with the tiers by name. */
import fc from 'fast-check';
import { planMessage } from '../../src/domain/message-plan';
import { renderMessage } from '../../src/domain/renderer';
import { planStaffMessages } from '../../src/domain/staff-plan';
import { summary } from './fixtures';

const TIERS = ['standard', 'premium', 'vvip'] as const;
type Tier = (typeof TIERS)[number];

function tierChanged(from: Tier, to: Tier, cause: 'payment' | 'completed_booking' = 'payment') {
  return {
    type: 'customer.tier_changed' as const,
    data: { ...summary({ customerId: 'cust-1' }), customerId: 'cust-1', from, to, cause, points: 12_345 },
  };
}

describe('a customer tier change', () => {
  it('plans the tier-up email to the customer, naming both tiers, why and the points held', () => {
    const message = planMessage(tierChanged('standard', 'vvip', 'completed_booking'));
    expect(message).toMatchObject({
      template: 'loyalty_tier_up',
      to: 'alex@example.com',
      bookingId: summary().bookingId,
    });
    expect(message!.view.tierChange).toEqual({
      from: 'Standard',
      to: 'VVIP',
      because: 'with your latest completed booking',
      points: '12,345',
    });
    const rendered = renderMessage(message!.template, message!.view);
    expect(rendered.subject).toBe('Welcome to VVIP, Alex');
    expect(rendered.text).toContain('your tier has moved from Standard to VVIP');
    expect(rendered.text).toContain('You hold 12,345 loyalty points.');
    expect(rendered.html).toContain('<strong>VVIP</strong>');
  });

  it('is sent only when the tier rose, and never to staff', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIERS), fc.constantFrom(...TIERS), (from, to) => {
        const message = planMessage(tierChanged(from, to));
        const rose = TIERS.indexOf(to) > TIERS.indexOf(from);
        expect(message?.template ?? null).toBe(rose ? 'loyalty_tier_up' : null);
        expect(planStaffMessages(tierChanged(from, to), { adminEmails: ['ops@midas.test'] })).toEqual([]);
      }),
    );
  });

  it('is recorded without a recipient when the customer has no usable address', () => {
    const event = tierChanged('standard', 'premium');
    const message = planMessage({ ...event, data: { ...event.data, guest: undefined } });
    expect(message).toMatchObject({ template: 'loyalty_tier_up', to: null });
  });
});
