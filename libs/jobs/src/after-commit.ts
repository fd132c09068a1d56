/**
 * Jobs queued inside a transaction can run before it commits (the outbox relays after commit, but
 * a BullMQ job added in the same request may not). A job whose row is not visible yet throws
 * `NotCommittedYet`; `waitingForCommit` then puts it back for a short poll without costing an
 * attempt, for up to a minute after it was queued. Past that the error goes on as a failure.
 */
import { DelayedError, type Job, type JobsOptions } from 'bullmq';

/** What the job needs is not visible yet: the transaction that queued it has not committed. */
export class NotCommittedYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The first delay of a job queued inside the transaction that records its work: that commit
 * usually lands within it, so the first run mostly finds its row instead of having to come back.
 */
export const COMMIT_HEADSTART_MS = 50;

/** Options of a job queued inside the transaction that records its work, under its deterministic id. */
export function afterCommit(jobId: string): JobsOptions {
  return { jobId, delay: COMMIT_HEADSTART_MS };
}

/** How long after a job was queued a missing row is waited for. */
export const COMMIT_GRACE_MS = 60_000;
const COMMIT_POLL_MS = 100;

/** Runs `work`; a NotCommittedYet within the grace delays the job by a short poll instead of failing it. */
export async function waitingForCommit<T>(
  job: Pick<Job, 'timestamp' | 'moveToDelayed'>,
  token: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotCommittedYet && token && Date.now() - job.timestamp < COMMIT_GRACE_MS) {
      await job.moveToDelayed(Date.now() + COMMIT_POLL_MS, token);
      throw new DelayedError();
    }
    throw err;
  }
}
