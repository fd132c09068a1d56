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

  it('settles a re-priced booking so that paid plus pending equals the new total whenever the surplus was paid', () => {
    fc.assert(
      fc.property(money, ledger, (newTotal, l) => {
        const s = settlementForNewTotal(newTotal, l);
        const covered = l.paidNet + l.pendingCharges;
        if (s.kind === 'charge') {
          expect(s.amount).toBeGreaterThan(0);
          expect(covered + s.amount).toBe(newTotal);
        } else if (s.kind === 'refund') {
          expect(s.amount).toBeGreaterThan(0);
          expect(s.amount).toBeLessThanOrEqual(l.paidNet);
          if (covered - newTotal <= l.paidNet) expect(covered - s.amount).toBe(newTotal);
        } else {
          expect(newTotal <= covered).toBe(true);
          if (l.paidNet > 0) expect(newTotal).toBe(covered);
        }
      }),
    );
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
      amount: 40_00,
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
