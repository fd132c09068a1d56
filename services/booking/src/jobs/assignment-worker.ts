/**
 * The `assignments` queue: the periodic rescue sweep (a BullMQ job scheduler) and the `rescue`
 * jobs that flows add when capacity may have appeared, so a waiting booking is assigned at once
 * rather than at the next sweep. Both run flows/rescue-assignments.ts.
 */
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { AssignmentNudge, FlowContext } from '../flows/context';
import { rescueAssignments, type RescueOptions } from '../flows/rescue-assignments';
import { ASSIGNMENTS_QUEUE, RESCUE_JOB, SWEEP_JOB } from './booking-jobs';

export function startAssignmentWorker(
  jobs: Jobs,
  deps: FlowContext,
  opts: RescueOptions & { logger: Logger },
): void {
  jobs.worker<{ why?: string }>(
    ASSIGNMENTS_QUEUE,
    async (job) => {
      if (job.name !== SWEEP_JOB && job.name !== RESCUE_JOB)
        throw new Error(`unknown assignments job "${job.name}"`);
      const outcome = await rescueAssignments(deps, opts);
      if (outcome.assigned || outcome.alerted) {
        opts.logger.info({ ...outcome, trigger: job.data.why ?? job.name }, 'assignment rescue acted');
      }
    },
    // One run at a time per process: runs racing for the same concierges would only retry.
    { concurrency: 1 },
  );
}

export class AssignmentRescue implements AssignmentNudge {
  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
  ) {}

  /** Asks for a rescue run now; Redis being away only delays it to the next sweep. */
  async nudge(why: string): Promise<void> {
    await this.jobs
      .queue<{ why: string }>(ASSIGNMENTS_QUEUE)
      .add(RESCUE_JOB, { why }, { attempts: 1, removeOnComplete: true, removeOnFail: 100 })
      .catch((err: unknown) =>
        this.logger.warn({ err, why }, 'could not ask for an assignment rescue; the sweep will run it'),
      );
  }
}
