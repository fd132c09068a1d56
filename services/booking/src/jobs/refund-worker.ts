/** The `refunds` queue: the periodic refund repair sweep (flows/repair-refunds.ts). */
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { FlowContext } from '../flows/context';
import { repairRefunds, type RefundRepairOptions } from '../flows/repair-refunds';
import { REFUNDS_QUEUE, SWEEP_JOB } from './booking-jobs';

export function startRefundWorker(
  jobs: Jobs,
  deps: FlowContext,
  opts: RefundRepairOptions & { logger: Logger },
): void {
  jobs.worker<Record<string, never>>(
    REFUNDS_QUEUE,
    async (job) => {
      if (job.name !== SWEEP_JOB) throw new Error(`unknown refunds job "${job.name}"`);
      const repaired = await repairRefunds(deps, opts);
      if (repaired.visited) opts.logger.info(repaired, 'refund repair sweep visited open refunds');
    },
    // One sweep at a time per process; replicas share the work through the claim's row locks.
    { concurrency: 1 },
  );
}
