/** The `lifecycle` queue: the no-show check, the automatic completion, and the periodic repair sweep. */
import { DelayedError, type Job } from 'bullmq';
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import { completeBooking } from '../flows/complete-booking';
import type { FlowContext } from '../flows/context';
import { markNoShow, type MomentOutcome } from '../flows/mark-no-show';
import { sweepOverdueBookings } from '../flows/sweep-overdue-bookings';
import { LIFECYCLE_QUEUE, SWEEP_JOB, type LifecycleJob } from './booking-jobs';

const CLOCK_MARGIN_MS = 20;

export function startLifecycleWorker(
  jobs: Jobs,
  deps: FlowContext,
  opts: { graceMinutes: number; unpaidGraceMs: number; logger: Logger },
): void {
  jobs.worker<LifecycleJob | Record<string, never>>(
    LIFECYCLE_QUEUE,
    async (job: Job<LifecycleJob | Record<string, never>>, token?: string) => {
      if (job.name === SWEEP_JOB) {
        const repaired = await sweepOverdueBookings(deps, opts);
        if (repaired.noShows || repaired.completed || repaired.expired || repaired.changesLapsed) {
          opts.logger.info(repaired, 'lifecycle sweep acted on bookings whose job had not run');
        }
        if (repaired.noShows || repaired.completed) await deps.assignments?.nudge('assignment_freed');
        return;
      }
      const { bookingId } = job.data as LifecycleJob;
      let outcome: MomentOutcome;
      if (job.name === 'no-show') outcome = await markNoShow(deps, bookingId, opts.graceMinutes);
      else if (job.name === 'complete') outcome = await completeBooking(deps, bookingId);
      else throw new Error(`unknown lifecycle job "${job.name}"`);
      // A no-show or a completion ends the concierge's assignment: their room may serve a waiting booking.
      if (outcome.kind === 'done') await deps.assignments?.nudge('assignment_freed');
      // The booking moved later than this job: follow it.
      if (outcome.kind === 'wait' && token) {
        await job.moveToDelayed(outcome.until.getTime() + CLOCK_MARGIN_MS, token);
        throw new DelayedError();
      }
    },
    { concurrency: 4, runRetryDelay: 1000 },
  );
}
