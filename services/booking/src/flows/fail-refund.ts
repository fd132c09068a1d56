/**
 * A refund the provider marked failed (Stripe `failed` or `canceled`, PayPal FAILED or CANCELLED):
 * asked for again as a new attempt after a backoff, until REFUND_MAX_ATTEMPTS attempts failed;
 * then dead-lettered, published as `refund.dead_lettered` for the admins, and left to staff.
 */
import { enqueueEvent } from '@midas/messaging';
import { findBooking } from '../db/bookings';
import { recordRefundFailure } from '../db/refund-repairs';
import { judgeRefundFailure } from '../domain';
import { summaryOf } from '../events/publish/booking-summary';
import { DEFAULT_REFUND_RETRY, type FlowContext } from './context';

export async function failRefund(
  deps: FlowContext,
  refundId: string,
  providerRef: string,
  failureReason?: string,
): Promise<void> {
  const retry = deps.refundRetry ?? DEFAULT_REFUND_RETRY;
  const now = deps.now();
  const detail = `refund ${providerRef} failed at the provider${failureReason ? ` (${failureReason})` : ''}`;
  const recorded = await deps.db.transaction(async (tx) => {
    const result = await recordRefundFailure(tx, {
      refundId,
      providerRef,
      outcome: (failuresBefore) => judgeRefundFailure(failuresBefore, retry.maxAttempts, now, retry),
      detail,
    });
    if (!result || result.outcome.kind !== 'dead_letter') return result;
    const { refund } = result;
    const booking = (await findBooking(tx, refund.bookingId))!;
    await enqueueEvent(tx, 'booking', {
      type: 'refund.dead_lettered',
      data: {
        ...summaryOf(booking),
        amount: refund.amount,
        paymentId: refund.id,
        purpose: refund.purpose,
        reason: refund.reason ?? refund.purpose,
        provider: refund.provider,
        attempts: refund.refundFailures,
        ...(failureReason ? { lastFailure: failureReason } : {}),
      },
    });
    return result;
  });
  if (!recorded) return;
  const log = { refundId, bookingId: recorded.refund.bookingId, providerRef, failureReason };
  if (recorded.outcome.kind === 'dead_letter') {
    deps.logger.error(
      { ...log, attempts: recorded.outcome.failures },
      'refund dead-lettered after its last failed attempt; staff must retry or resolve it',
    );
  } else {
    deps.logger.warn(
      { ...log, attempts: recorded.outcome.failures, retryAt: recorded.outcome.retryAt },
      'refund failed at the provider; it will be asked for again',
    );
  }
}
