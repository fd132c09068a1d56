/** The `deposits` queue: each booking's deposit authorisation at its lead time, and the repair sweep. */
import { DelayedError, type Job } from 'bullmq';
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import { authorizeDepositNow } from '../flows/authorize-deposit';
import type { FlowContext } from '../flows/context';
import { sweepDeposits, type DepositJobScheduler } from '../flows/sweep-deposits';
import { DEPOSIT_JOB, DEPOSITS_QUEUE, SWEEP_JOB, type LifecycleJob } from './booking-jobs';

const CLOCK_MARGIN_MS = 20;

export function startDepositWorker(
  jobs: Jobs,
  deps: FlowContext,
  opts: { scheduler: DepositJobScheduler; logger: Logger },
): void {
  jobs.worker<LifecycleJob | Record<string, never>>(
    DEPOSITS_QUEUE,
    async (job: Job<LifecycleJob | Record<string, never>>, token?: string) => {
      if (job.name === SWEEP_JOB) {
        const repaired = await sweepDeposits(deps, opts.scheduler);
        if (repaired.authorized || repaired.declined || repaired.rescheduled) {
          opts.logger.info(repaired, 'deposit sweep acted on deposits whose job had not run');
        }
        return;
      }
      if (job.name !== DEPOSIT_JOB) throw new Error(`unknown deposits job "${job.name}"`);
      const outcome = await authorizeDepositNow(deps, (job.data as LifecycleJob).bookingId);
      // The dates moved later than this job: follow them.
      if (outcome.kind === 'wait' && token) {
        await job.moveToDelayed(outcome.until.getTime() + CLOCK_MARGIN_MS, token);
        throw new DelayedError();
      }
    },
    // A provider that does not answer fails the job: BullMQ retries it with backoff, the sweep after that.
    { concurrency: 4, runRetryDelay: 1000 },
  );
}
