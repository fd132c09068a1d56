export {
  Jobs,
  DEFAULT_JOB_OPTIONS,
  exponentialRetries,
  jobsPrefix,
  type JobsOptionsInput,
  type RetryPolicy,
} from './jobs';
export { jobId } from './job-id';
export { SchedulerWatchdog, type KeptScheduler } from './scheduler-watchdog';
export type { Job, Queue, Worker, JobsOptions, Processor } from 'bullmq';
export {
  afterCommit,
  NotCommittedYet,
  waitingForCommit,
  COMMIT_GRACE_MS,
  COMMIT_HEADSTART_MS,
} from './after-commit';
