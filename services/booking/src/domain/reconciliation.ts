/**
 * Payment reconciliation as a pure comparison: what our ledger says of each payment and refund
 * against what the provider says, matched by the provider's id, and every disagreement named
 * (missing on either side, amount, currency, status). It decides nothing and changes nothing.
 */

/** The statuses both sides are brought to before they are compared. */
export type ReconciledStatus = 'pending' | 'authorized' | 'succeeded' | 'cancelled' | 'failed';

export interface LedgerRecord {
  /** Our payment or refund id. */
  id: string;
  bookingId: string;
  kind: 'charge' | 'deposit' | 'refund';
  provider: string;
  /**
   * The provider's id, or null for one whose provider call succeeded but whose answer was never
   * recorded (the process died, or the database was away): it is matched by our id instead.
   */
  providerRef: string | null;
  /** What should have moved: a captured deposit's captured part, otherwise the amount. */
  amount: number;
  currency: string;
  /** Our status as stored (`dead_lettered` included). */
  status: string;
}

export interface ProviderRecord {
  kind: 'payment' | 'refund';
  provider: string;
  providerRef: string;
  /** Our id, when the provider kept it (Stripe's metadata payment_id / refund_id). */
  ourId?: string;
  bookingId?: string;
  /** For a payment: what was received (or is held, for an authorisation); for a refund, its amount. */
  amount: number;
  currency: string;
  status: ReconciledStatus;
}

export type DifferenceKind = 'missing_in_ledger' | 'missing_at_provider' | 'amount' | 'currency' | 'status';

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  'missing_in_ledger',
  'missing_at_provider',
  'amount',
  'currency',
  'status',
];

export interface Difference {
  kind: DifferenceKind;
  provider: string;
  providerRef: string;
  /** Our payment or refund id, when one side knows it. */
  paymentId?: string;
  bookingId?: string;
  ledger?: { amount: number; currency: string; status: string };
  atProvider?: { amount: number; currency: string; status: ReconciledStatus };
}

/**
 * Which provider statuses agree with a ledger status. A payment still pending on our side may be
 * processing at the provider (pending); a dead-lettered or written-off refund failed there.
 */
const CHARGE_AGREEING: Record<string, readonly ReconciledStatus[]> = {
  pending: ['pending'],
  succeeded: ['succeeded'],
  cancelled: ['cancelled', 'pending'],
  failed: ['failed', 'cancelled'],
};
const AGREEING: Record<string, Record<string, readonly ReconciledStatus[]>> = {
  charge: CHARGE_AGREEING,
  // A deposit agrees as a charge does, and while held or refused as well.
  deposit: {
    ...CHARGE_AGREEING,
    authorized: ['authorized'],
    // The card refused the authorisation: the provider's attempt waits for another card, or was given up.
    declined: ['pending', 'cancelled'],
  },
  refund: {
    pending: ['pending'],
    succeeded: ['succeeded'],
    dead_lettered: ['failed'],
    cancelled: ['failed'],
    failed: ['failed'],
  },
};

export function statusesAgree(
  kind: LedgerRecord['kind'],
  ledger: string,
  provider: ReconciledStatus,
): boolean {
  return AGREEING[kind]?.[ledger]?.includes(provider) ?? false;
}

/** The amount that should match at the provider: only money that moved counts for a payment. */
function comparableAmount(record: LedgerRecord, provider: ProviderRecord): boolean {
  // A payment nobody paid yet (or one abandoned) has received nothing at the provider, whatever it asked for.
  if (record.kind !== 'refund' && provider.status !== 'succeeded' && provider.status !== 'authorized')
    return true;
  return record.amount === provider.amount;
}

/**
 * Every difference between the ledger and the provider's records. `ledger` holds the records of
 * the window plus any the provider listed (so a record near the window's edge is found on our
 * side); `provider` holds what the provider listed for the window plus what it answered for each
 * of our records it did not list (absent there: missing at the provider). A provider refund that
 * names one of our refunds under another provider id is an earlier attempt of it: a failed one is
 * expected, anything else is a difference. Likewise a provider payment naming one of our deposits
 * under another id is an earlier authorisation of it: one holding nothing is expected. `ledger`
 * may also hold records the provider named by our id that never learnt the provider's id
 * (`providerRef` null): they are compared with what the provider says of them.
 */
export function reconcile(
  ledger: readonly LedgerRecord[],
  provider: readonly ProviderRecord[],
): Difference[] {
  const differences: Difference[] = [];
  const byRef = new Map(
    ledger.filter((r) => r.providerRef !== null).map((r) => [`${r.provider}:${r.providerRef}`, r]),
  );
  const unreferenced = new Map(ledger.filter((r) => r.providerRef === null).map((r) => [r.id, r]));
  const ours = new Set(ledger.map((r) => r.id));
  const seen = new Set<string>();
  for (const p of provider) {
    const key = `${p.provider}:${p.providerRef}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let record = byRef.get(key);
    const atProvider = { amount: p.amount, currency: p.currency, status: p.status };
    if (!record) {
      const earlierAttempt = p.kind === 'refund' && p.ourId !== undefined && ours.has(p.ourId);
      if (earlierAttempt && p.status === 'failed') continue;
      // An earlier authorisation of one of our deposits (declined, or voided when the dates moved),
      // or a payment whose answer the ledger never recorded, that holds nothing is expected too.
      const earlierHold = p.kind === 'payment' && p.ourId !== undefined && ours.has(p.ourId);
      if (earlierHold && (p.status === 'pending' || p.status === 'cancelled')) continue;
      record = takeUnreferenced(unreferenced, p);
    }
    if (!record) {
      const earlierAttempt = p.kind === 'refund' && p.ourId !== undefined && ours.has(p.ourId);
      differences.push({
        kind: earlierAttempt ? 'status' : 'missing_in_ledger',
        provider: p.provider,
        providerRef: p.providerRef,
        paymentId: p.ourId,
        bookingId: p.bookingId,
        atProvider,
      });
      continue;
    }
    const base = {
      provider: p.provider,
      providerRef: p.providerRef,
      paymentId: record.id,
      bookingId: record.bookingId,
      ledger: { amount: record.amount, currency: record.currency, status: record.status },
      atProvider,
    };
    if (record.currency.trim().toUpperCase() !== p.currency.trim().toUpperCase())
      differences.push({ kind: 'currency', ...base });
    if (!statusesAgree(record.kind, record.status, p.status)) differences.push({ kind: 'status', ...base });
    else if (!comparableAmount(record, p)) differences.push({ kind: 'amount', ...base });
  }
  for (const record of ledger) {
    // One without a reference is here because the provider named it; unmatched, there is nothing to look up.
    if (record.providerRef === null || seen.has(`${record.provider}:${record.providerRef}`)) continue;
    differences.push({
      kind: 'missing_at_provider',
      provider: record.provider,
      providerRef: record.providerRef,
      paymentId: record.id,
      bookingId: record.bookingId,
      ledger: { amount: record.amount, currency: record.currency, status: record.status },
    });
  }
  return differences;
}

/**
 * The ledger record a provider record names by our id when the ledger never learnt the provider's
 * id (the call succeeded, its answer was lost): the provider's word is then compared with it like
 * any other, so an attempt that moved nothing agrees and a refund the provider paid that the ledger
 * still has open is a status difference until the refund repair reads it back.
 */
function takeUnreferenced(
  unreferenced: Map<string, LedgerRecord>,
  p: ProviderRecord,
): LedgerRecord | undefined {
  const record = p.ourId === undefined ? undefined : unreferenced.get(p.ourId);
  if (!record || record.provider !== p.provider || (record.kind === 'refund') !== (p.kind === 'refund'))
    return undefined;
  unreferenced.delete(p.ourId!);
  return record;
}

/** One line of the report for a difference, in words an operator reads. */
export function describeDifference(d: Difference): string {
  const who = [
    `${d.provider} ${d.providerRef}`,
    d.bookingId && `booking ${d.bookingId}`,
    d.paymentId && `payment ${d.paymentId}`,
  ]
    .filter(Boolean)
    .join(', ');
  const side = (s?: { amount: number; currency: string; status: string }) =>
    s ? `${s.amount} ${s.currency.trim().toUpperCase()} ${s.status}` : 'nothing';
  switch (d.kind) {
    case 'missing_in_ledger':
      return `missing in ledger: ${who}: provider has ${side(d.atProvider)}, the ledger has no such record`;
    case 'missing_at_provider':
      return `missing at provider: ${who}: ledger has ${side(d.ledger)}, the provider has no such record`;
    default:
      return `${d.kind} differs: ${who}: ledger ${side(d.ledger)}, provider ${side(d.atProvider)}`;
  }
}

/** How many differences of each kind, every kind present (zero included). */
export function countByKind(differences: readonly Difference[]): Record<DifferenceKind, number> {
  const counts = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  for (const d of differences) counts[d.kind]++;
  return counts;
}
