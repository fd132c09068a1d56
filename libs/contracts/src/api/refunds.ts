/** Admin routes of the booking service over refunds: the list (dead-lettered ones first of all) and the staff's retry or resolution of a dead-lettered refund. */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page, pageFields } from './page';

const instant = z.iso.datetime({ offset: true });
const uuid = z.uuid({ message: 'must be a UUID' });
const reason = z.string().trim().min(1).max(500);

/**
 * A refund's status: `pending` (asked for or about to be, retried after a failure), `succeeded`,
 * `dead_lettered` (the provider failed it REFUND_MAX_ATTEMPTS times: staff decide), `cancelled`
 * (written off by staff), `failed` (failed before automatic retries existed).
 */
export const refundStatus = z.enum(['pending', 'succeeded', 'failed', 'cancelled', 'dead_lettered']);

export const refundView = z.object({
  id: z.uuid(),
  bookingId: z.uuid(),
  /** The charge the money goes back from. */
  refundOf: z.uuid().optional(),
  provider: z.string(),
  /** The provider's id of the latest attempt. */
  providerRef: z.string().optional(),
  amount: z.number().int(),
  currency: z.string(),
  status: refundStatus,
  purpose: z.string(),
  reason: z.string().optional(),
  /** Attempts the provider failed. */
  failedAttempts: z.number().int(),
  /** The provider's word on the last failed attempt. */
  lastFailure: z.string().optional(),
  createdAt: instant,
  settledAt: instant.optional(),
});
export type RefundView = z.infer<typeof refundView>;

export const listRefundsQuery = z.strictObject({
  status: refundStatus.optional(),
  bookingId: uuid.optional(),
  ...pageFields,
});
export type ListRefundsQuery = z.infer<typeof listRefundsQuery>;

export const refundParams = z.strictObject({ id: uuid });
export const retryRefundBody = z.strictObject({ reason });
export const resolveRefundBody = z.strictObject({
  /**
   * `refunded_elsewhere`: staff gave the money back another way (bank transfer); the refund counts
   * as issued. `written_off`: it will not be given back (the guest waived it, fraud); it no longer
   * counts as owed.
   */
  outcome: z.enum(['refunded_elsewhere', 'written_off']),
  reason,
});

export const refundApi = defineRoutes({
  listRefunds: {
    method: 'get',
    path: '/v1/payments/refunds',
    tag: 'payments',
    access: access.roles(['admin']),
    summary: 'Refunds, newest first; ?status=dead_lettered lists those waiting for staff',
    query: listRefundsQuery,
    responses: {
      200: {
        description: 'A page of refunds',
        schema: page(refundView),
      },
    },
  },
  retryRefund: {
    method: 'post',
    path: '/v1/payments/refunds/:id/retry',
    tag: 'payments',
    access: access.roles(['admin']),
    summary: 'Ask the provider once more for a dead-lettered refund, with the reason recorded',
    params: refundParams,
    body: retryRefundBody,
    responses: {
      200: {
        description: 'The refund, pending again (or settled when the provider took it at once)',
        schema: refundView,
      },
      404: { description: 'No such refund' },
      409: { description: 'The refund is not dead-lettered' },
    },
  },
  resolveRefund: {
    method: 'post',
    path: '/v1/payments/refunds/:id/resolve',
    tag: 'payments',
    access: access.roles(['admin']),
    summary:
      'Close a dead-lettered refund by hand: refunded another way, or written off; the reason is recorded',
    params: refundParams,
    body: resolveRefundBody,
    responses: {
      200: { description: 'The refund, succeeded or cancelled', schema: refundView },
      404: { description: 'No such refund' },
      409: { description: 'The refund is not dead-lettered' },
    },
  },
});
