/**
 * The repair for deposit jobs Redis lost (it keeps nothing on disk): every active booking whose
 * deposit still waits is read from Postgres; one whose moment (start - lead) has passed is
 * authorised now, through the same flow as its job (so a job running beside it changes nothing
 * twice: same idempotency key, compare-and-swap on the row); one still ahead gets its job again
 * when it is missing. Deposits held since booking (PayPal) are visited for their renewal the same way.
 */
import { waitingDeposits } from '../db/deposits';
import { DEFAULT_DEPOSIT_LEAD_HOURS, depositAuthorizeAt } from '../domain/deposit-schedule';
import { authorizeDepositNow } from './authorize-deposit';
import type { FlowContext } from './context';

const PAGE = 200;

export interface DepositJobScheduler {
  ensureDepositJob(booking: { id: string; startAt: Date }): Promise<boolean>;
}

export interface DepositSweep {
  authorized: number;
  declined: number;
  rescheduled: number;
}

export async function sweepDeposits(deps: FlowContext, jobs: DepositJobScheduler): Promise<DepositSweep> {
  const result: DepositSweep = { authorized: 0, declined: 0, rescheduled: 0 };
  const lead = deps.depositLeadHours ?? DEFAULT_DEPOSIT_LEAD_HOURS;
  const renewable = deps.payments.offered.filter(
    (name) => deps.payments.get(name).depositTiming === 'at_booking',
  );
  let after: { startAt: Date; id: string } | undefined;
  for (;;) {
    const now = deps.now();
    const page = await waitingDeposits(deps.db, { now, renewable, limit: PAGE, after });
    for (const d of page) {
      if (depositAuthorizeAt(d.startAt, lead).getTime() <= now.getTime()) {
        try {
          const outcome = await authorizeDepositNow(deps, d.bookingId);
          if (outcome.kind === 'authorized') result.authorized++;
          if (outcome.kind === 'declined') result.declined++;
        } catch (err) {
          // The provider did not answer: the next sweep asks again under the same key.
          deps.logger.warn({ err, bookingId: d.bookingId }, 'deposit sweep could not reach the provider');
        }
      } else if (await jobs.ensureDepositJob({ id: d.bookingId, startAt: d.startAt })) {
        result.rescheduled++;
      }
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { startAt: last.startAt, id: last.bookingId };
  }
  return result;
}
