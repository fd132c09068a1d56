/** GET /v1/payments/refunds (admins): refunds newest first, with the provider's last failure of each; `status=dead_lettered` is the staff's work list. */
import type { ListRefundsQuery } from '@midas/contracts';
import { decodeCursor, encodeCursor, type Page } from '@midas/http';
import { z } from 'zod';
import { lastRefundFailures, listRefunds } from '../db/refund-repairs';
import type { PaymentRow } from '../db/schema';
import type { FlowContext } from './context';

const cursorSchema = z.object({ createdAt: z.iso.datetime({ offset: true }), id: z.uuid() });

export async function listRefundPage(
  deps: Pick<FlowContext, 'db'>,
  query: ListRefundsQuery,
): Promise<Page<{ refund: PaymentRow; lastFailure?: string }>> {
  const after = decodeCursor(cursorSchema, query.cursor);
  const rows = await listRefunds(
    deps.db,
    { status: query.status, bookingId: query.bookingId },
    { limit: query.limit + 1, after },
  );
  const refunds = rows.slice(0, query.limit);
  const failures = await lastRefundFailures(
    deps.db,
    refunds.filter((r) => r.refundFailures > 0 || r.status === 'failed').map((r) => r.id),
  );
  const last = refunds[refunds.length - 1];
  return {
    items: refunds.map((refund) => ({ refund, lastFailure: failures.get(refund.id) })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}
