/** Payment reconciliation as a pure comparison: agreement finds nothing, every planted difference is named once, earlier refund attempts are told apart. */
import fc from 'fast-check';
import {
  countByKind,
  describeDifference,
  reconcile,
  type LedgerRecord,
  type ProviderRecord,
} from '../../src/domain/reconciliation';

const record = fc.record({
  ref: fc.uuid(),
  amount: fc.integer({ min: 1, max: 10_000_000 }),
  currency: fc.constantFrom('EUR', 'USD', 'JPY'),
  kind: fc.constantFrom('charge' as const, 'refund' as const),
});

function sides(r: { ref: string; amount: number; currency: string; kind: 'charge' | 'refund' }) {
  const ledger: LedgerRecord = {
    id: `p-${r.ref}`,
    bookingId: `b-${r.ref}`,
    kind: r.kind,
    provider: 'stripe',
    providerRef: r.ref,
    amount: r.amount,
    currency: r.currency,
    status: 'succeeded',
  };
  const provider: ProviderRecord = {
    kind: r.kind === 'refund' ? 'refund' : 'payment',
    provider: 'stripe',
    providerRef: r.ref,
    amount: r.amount,
    currency: r.currency.toLowerCase(),
    status: 'succeeded',
  };
  return { ledger, provider };
}

describe('payment reconciliation', () => {
  it('finds nothing when both sides agree, in any order and whatever the currency case', () => {
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => r.ref, maxLength: 30 }), (records) => {
        const pairs = records.map(sides);
        expect(
          reconcile(
            pairs.map((p) => p.ledger),
            [...pairs.map((p) => p.provider)].reverse(),
          ),
        ).toEqual([]);
      }),
    );
  });

  it('names exactly the planted difference of each kind, once', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(record, { selector: (r) => r.ref, minLength: 5, maxLength: 30 }),
        (records) => {
          const pairs = records.map(sides);
          const ledger = pairs.map((p) => p.ledger);
          const provider = pairs.map((p) => ({ ...p.provider }));
          provider[0]!.amount += 1;
          provider[1]!.currency = provider[1]!.currency === 'usd' ? 'eur' : 'usd';
          provider[2]!.status = 'failed';
          const missingAtProvider = provider.splice(3, 1)[0]!;
          const missingInLedger = ledger.splice(3, 1)[0]!;
          void missingInLedger;
          // Ledger lost record 3 and the provider lost record 3: both sides report it, once each.
          ledger.push({ ...sides({ ...records[3]!, ref: `${records[3]!.ref}-x` }).ledger });
          const found = reconcile(ledger, [...provider, missingAtProvider]);
          expect(countByKind(found)).toEqual({
            missing_in_ledger: 1,
            missing_at_provider: 1,
            amount: 1,
            currency: 1,
            status: 1,
          });
          for (const d of found) expect(describeDifference(d)).toContain(d.providerRef);
        },
      ),
    );
  });

  it('takes a failed earlier attempt of one of our refunds as expected, and a settled one as a difference', () => {
    const refund: LedgerRecord = {
      id: 'r1',
      bookingId: 'b1',
      kind: 'refund',
      provider: 'stripe',
      providerRef: 're_2',
      amount: 500,
      currency: 'EUR',
      status: 'succeeded',
    };
    const attempt = (status: ProviderRecord['status']): ProviderRecord => ({
      kind: 'refund',
      provider: 'stripe',
      providerRef: 're_1',
      ourId: 'r1',
      amount: 500,
      currency: 'eur',
      status,
    });
    const current: ProviderRecord = { ...attempt('succeeded'), providerRef: 're_2' };
    expect(reconcile([refund], [attempt('failed'), current])).toEqual([]);
    expect(reconcile([refund], [attempt('succeeded'), current]).map((d) => d.kind)).toEqual(['status']);
  });

  it('compares no amount for a payment nobody paid yet, and accepts a dead-lettered refund the provider failed', () => {
    const pending: LedgerRecord = {
      id: 'p1',
      bookingId: 'b1',
      kind: 'charge',
      provider: 'stripe',
      providerRef: 'pi_1',
      amount: 1000,
      currency: 'EUR',
      status: 'pending',
    };
    expect(
      reconcile(
        [pending],
        [
          {
            kind: 'payment',
            provider: 'stripe',
            providerRef: 'pi_1',
            amount: 0,
            currency: 'eur',
            status: 'pending',
          },
        ],
      ),
    ).toEqual([]);
    const dead: LedgerRecord = {
      ...pending,
      id: 'r1',
      kind: 'refund',
      providerRef: 're_1',
      status: 'dead_lettered',
    };
    expect(
      reconcile(
        [dead],
        [
          {
            kind: 'refund',
            provider: 'stripe',
            providerRef: 're_1',
            amount: 1000,
            currency: 'eur',
            status: 'failed',
          },
        ],
      ),
    ).toEqual([]);
  });

  it("takes a deposit's earlier authorisations that hold nothing as expected, a declined one as agreeing, and one still holding as a difference", () => {
    const deposit: LedgerRecord = {
      id: 'dep-1',
      bookingId: 'b-1',
      kind: 'deposit',
      provider: 'stripe',
      providerRef: 'pi_now',
      amount: 2_000_000,
      currency: 'EUR',
      status: 'declined',
    };
    const current: ProviderRecord = {
      kind: 'payment',
      provider: 'stripe',
      providerRef: 'pi_now',
      ourId: 'dep-1',
      amount: 0,
      currency: 'eur',
      status: 'pending',
    };
    const earlier = (status: ProviderRecord['status'], amount = 0): ProviderRecord => ({
      ...current,
      providerRef: `pi_earlier_${status}`,
      amount,
      status,
    });
    // Declined now, voided when the dates moved, refused before: nothing to report.
    expect(reconcile([deposit], [current, earlier('cancelled'), earlier('pending')])).toEqual([]);
    // An earlier hold still on the card is money held that the ledger does not count.
    const held = reconcile([deposit], [current, earlier('authorized', 2_000_000)]);
    expect(held.map((d) => [d.kind, d.providerRef])).toEqual([
      ['missing_in_ledger', 'pi_earlier_authorized'],
    ]);
    // A declined deposit the provider holds after all is a difference too.
    expect(
      reconcile([deposit], [{ ...current, status: 'authorized', amount: 2_000_000 }]).map((d) => d.kind),
    ).toEqual(['status']);
  });

  it('matches by our id a record whose provider answer was never stored: nothing moved agrees, a paid refund still open differs', () => {
    const charge: LedgerRecord = {
      id: 'p1',
      bookingId: 'b1',
      kind: 'charge',
      provider: 'stripe',
      providerRef: null,
      amount: 19_600,
      currency: 'EUR',
      status: 'cancelled',
    };
    const refund: LedgerRecord = { ...charge, id: 'r1', kind: 'refund', status: 'pending' };
    const intent: ProviderRecord = {
      kind: 'payment',
      provider: 'stripe',
      providerRef: 'pi_1',
      ourId: 'p1',
      bookingId: 'b1',
      amount: 0,
      currency: 'eur',
      status: 'pending',
    };
    const paid: ProviderRecord = {
      ...intent,
      kind: 'refund',
      providerRef: 're_1',
      ourId: 'r1',
      amount: 19_600,
      status: 'succeeded',
    };
    // Neither side lists anything the other lacks: an unmatched record without a reference is not missing at the provider.
    expect(reconcile([charge, refund], [intent, { ...intent, status: 'cancelled' }])).toEqual([]);
    expect(reconcile([charge, refund], [{ ...paid, status: 'pending' }])).toEqual([]);
    const found = reconcile([charge, refund], [intent, paid]);
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'status',
        providerRef: 're_1',
        paymentId: 'r1',
        ledger: { amount: 19_600, currency: 'EUR', status: 'pending' },
      }),
    ]);
    // A refund naming none of ours, or a refund named as a payment, is no match.
    expect(reconcile([refund], [{ ...paid, ourId: 'r2' }]).map((d) => d.kind)).toEqual(['missing_in_ledger']);
    expect(reconcile([refund], [{ ...paid, kind: 'payment' }]).map((d) => d.kind)).toEqual([
      'missing_in_ledger',
    ]);
    // Money the provider received for a charge the ledger never learnt about is a difference.
    expect(
      reconcile([{ ...charge, status: 'pending' }], [{ ...intent, status: 'succeeded', amount: 19_600 }]).map(
        (d) => d.kind,
      ),
    ).toEqual(['status']);
  });
});
