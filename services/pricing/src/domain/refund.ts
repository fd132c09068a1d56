/**
 * The refund owed when a booking is cancelled or ends as a no-show, from the item type's
 * policy (data): the first window the notice meets gives the refunded share of what was paid,
 * then the processing fee (a share of that refund) is deducted. Force majeure refunds
 * everything with no fee. Refunds never exceed what was paid, and more notice never refunds less.
 */
import { roundHalfAwayFromZero } from '@midas/contracts';
import { ONE, ONE_N, toAmount } from './money';

export interface RefundWindow {
  /** Applies when cancelled at least this many hours before the start. */
  minHoursBefore: number;
  refundBps: number;
}

export interface RefundPolicy {
  itemType: string;
  windows: RefundWindow[];
  /** Deducted from a non-zero refund, as a share of it. */
  processingFeeBps: number;
  /** Share refunded when an admin refunds a no-show. */
  noShowRefundBps: number;
}

export interface RefundRequest {
  start: Date;
  cancelledAt: Date;
  paidAmount: number;
  forceMajeure: boolean;
  reason: 'cancellation' | 'no_show';
}

export interface RefundDecision {
  amount: number;
  fee: number;
  /** Which rule applied, e.g. `car:cancellation:>=48h`. */
  rule: string;
  /** The refunded share before the fee, in percent. */
  percent: number;
}

const HOUR_MS = 3_600_000;

/** What is wrong with a policy's windows, as messages; empty when valid. */
export function refundPolicyProblems(policy: Pick<RefundPolicy, 'windows'>): string[] {
  const problems: string[] = [];
  const sorted = [...policy.windows].sort((a, b) => b.minHoursBefore - a.minHoursBefore);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.minHoursBefore === sorted[i - 1]!.minHoursBefore) {
      problems.push(`two windows start ${sorted[i]!.minHoursBefore} h before the start`);
    } else if (sorted[i]!.refundBps > sorted[i - 1]!.refundBps) {
      problems.push(
        `cancelling ${sorted[i]!.minHoursBefore} h before must not refund more than cancelling ${sorted[i - 1]!.minHoursBefore} h before`,
      );
    }
  }
  return problems;
}

export function calculateRefund(policy: RefundPolicy, req: RefundRequest): RefundDecision {
  if (req.forceMajeure) {
    return { amount: req.paidAmount, fee: 0, rule: 'force_majeure', percent: 100 };
  }
  let shareBps: number;
  let rule: string;
  if (req.reason === 'no_show') {
    shareBps = policy.noShowRefundBps;
    rule = `${policy.itemType}:no_show`;
  } else {
    const noticeMs = req.start.getTime() - req.cancelledAt.getTime();
    const windows = [...policy.windows].sort((a, b) => b.minHoursBefore - a.minHoursBefore);
    const window = windows.find((w) => noticeMs >= w.minHoursBefore * HOUR_MS);
    if (window) {
      shareBps = window.refundBps;
      rule = `${policy.itemType}:cancellation:>=${window.minHoursBefore}h`;
    } else {
      shareBps = 0;
      const shortest = windows.at(-1);
      rule = shortest
        ? `${policy.itemType}:cancellation:<${shortest.minHoursBefore}h`
        : `${policy.itemType}:cancellation`;
    }
  }
  const share = BigInt(Math.min(Math.max(shareBps, 0), ONE));
  const gross = roundHalfAwayFromZero(BigInt(req.paidAmount) * share, ONE_N);
  const fee = roundHalfAwayFromZero(
    gross * BigInt(Math.min(Math.max(policy.processingFeeBps, 0), ONE)),
    ONE_N,
  );
  return { amount: toAmount(gross - fee), fee: toAmount(fee), rule, percent: Number(share) / 100 };
}
