import fc from 'fast-check';
import {
  cancellationRefund,
  judgeForceMajeure,
  settlementForNewTotal,
  splitRefund,
  type Ledger,
} from '../../src/domain';

const money = fc.integer({ min: 0, max: 50_000_000 });
const ledger = fc.record<Ledger>({ paidNet: money, pendingCharges: money });

describe('settlement', () => {
  it('never refunds more than the policy grants nor more than was paid', () => {
    fc.assert(
      fc.property(money, ledger, (policy, l) => {
        const refund = cancellationRefund(policy, l);
        expect(refund).toBeGreaterThanOrEqual(0);
        expect(refund).toBeLessThanOrEqual(policy);
        expect(refund).toBeLessThanOrEqual(l.paidNet);
        expect(refund).toBe(Math.min(policy, l.paidNet));
      }),
    );
  });

  it('settles a re-priced booking from what was paid only: a pending charge never counts toward the new price', () => {
    fc.assert(
      fc.property(money, ledger, (newTotal, l) => {
        const s = settlementForNewTotal(newTotal, l);
        // Whatever is pending, the answer is the one for the money received.
        expect(s).toEqual(settlementForNewTotal(newTotal, { paidNet: l.paidNet }));
        if (s.kind === 'charge') expect(l.paidNet + s.amount).toBe(newTotal);
        else if (s.kind === 'refund') {
          expect(s.amount).toBeGreaterThan(0);
          expect(s.amount).toBeLessThanOrEqual(l.paidNet);
          expect(l.paidNet - s.amount).toBe(newTotal);
        } else expect(newTotal).toBe(l.paidNet);
      }),
    );
  });

  it('never refunds more than was received and never leaves a booking with less paid than its price, whatever changes are made, paid or left unpaid', () => {
    const step = fc.record({ total: money, pays: fc.boolean() });
    fc.assert(
      fc.property(money, fc.array(step, { maxLength: 30 }), (initial, steps) => {
        // A paid booking, then changes: a raised price applies only once its difference is paid.
        let total = initial;
        let received = initial;
        let refunded = 0;
        for (const change of steps) {
          const s = settlementForNewTotal(change.total, { paidNet: received - refunded });
          if (s.kind === 'charge') {
            if (!change.pays) continue; // lapsed unpaid: nothing changes
            received += s.amount;
          } else if (s.kind === 'refund') {
            refunded += s.amount;
          }
          total = change.total;
          expect(refunded).toBeLessThanOrEqual(received);
          expect(received - refunded).toBe(total);
        }
        expect(received - refunded).toBe(total);
      }),
    );
  });

  it('refunds nothing when a change left unpaid is followed by a shorter stay back at the old price', () => {
    // Paid 100; a longer stay at 150 waits unpaid (its 50 is pending); shortened back to 100.
    expect(settlementForNewTotal(150_00, { paidNet: 100_00 })).toEqual({ kind: 'charge', amount: 50_00 });
    expect(settlementForNewTotal(100_00, { paidNet: 100_00, pendingCharges: 50_00 })).toEqual({
      kind: 'none',
    });
  });

  it('charges the difference when the price rises and refunds it when the price falls', () => {
    expect(settlementForNewTotal(150_00, { paidNet: 100_00, pendingCharges: 0 })).toEqual({
      kind: 'charge',
      amount: 50_00,
    });
    expect(settlementForNewTotal(80_00, { paidNet: 100_00, pendingCharges: 0 })).toEqual({
      kind: 'refund',
      amount: 20_00,
    });
    expect(settlementForNewTotal(100_00, { paidNet: 100_00, pendingCharges: 0 })).toEqual({ kind: 'none' });
    expect(settlementForNewTotal(90_00, { paidNet: 100_00, pendingCharges: 30_00 })).toEqual({
      kind: 'refund',
      amount: 10_00,
    });
  });

  it('accepts force majeure only from an admin', () => {
    expect(judgeForceMajeure(true, false)).toEqual({ ok: false, reason: 'admin_only' });
    expect(judgeForceMajeure(true, true)).toEqual({ ok: true });
    expect(judgeForceMajeure(false, false)).toEqual({ ok: true });
  });
});

describe('refund split', () => {
  const charges = fc.array(fc.record({ id: fc.uuid(), refundable: fc.integer({ min: 0, max: 1_000_000 }) }), {
    maxLength: 6,
  });

  it('refunds exactly the amount when the charges cover it, taking from each no more than it has left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), charges, (amount, list) => {
        const parts = splitRefund(amount, list);
        const total = parts.reduce((s, p) => s + p.amount, 0);
        const available = list.reduce((s, c) => s + c.refundable, 0);
        expect(total).toBe(Math.min(amount, available));
        for (const part of parts) {
          expect(part.amount).toBeGreaterThan(0);
          expect(part.amount).toBeLessThanOrEqual(list.find((c) => c.id === part.chargeId)!.refundable);
        }
      }),
    );
  });
});
