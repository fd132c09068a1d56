export { Jobs, DEFAULT_JOB_OPTIONS, jobsPrefix, type JobsOptionsInput } from './jobs';
export { jobId } from './job-id';
export type { Job, Queue, Worker, JobsOptions, Processor } from 'bullmq';
export { NotCommittedYet, waitingForCommit, COMMIT_GRACE_MS } from './after-commit';
