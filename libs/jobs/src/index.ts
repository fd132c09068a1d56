export { Jobs, DEFAULT_JOB_OPTIONS, jobsPrefix, type JobsOptionsInput } from './jobs';
export { jobId } from './job-id';
export type { Job, Queue, Worker, JobsOptions, Processor } from 'bullmq';
