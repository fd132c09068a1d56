/** The `reminders` queue: each reminder job at its moment, and the periodic repair sweep. */
import { DelayedError, type Job } from 'bullmq';
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { ReminderOffset } from '../domain/reminder-schedule';
import type { FlowContext } from '../flows/context';
import { sendReminders } from '../flows/send-reminder';
import { sweepDueReminders } from '../flows/sweep-due-reminders';
import { REMINDERS_QUEUE, SWEEP_JOB, type ReminderJob } from './booking-jobs';
import { ReminderBatcher } from './reminder-batcher';
import type { ReminderMetrics } from './reminder-metrics';

/** Clocks differ a little between Redis and Postgres: come back just after the moment rather than just before. */
const CLOCK_MARGIN_MS = 20;
/** How long a reminder waits for others due at the same moment; a lone one goes out this much later. */
const BATCH_WAIT_MS = 10;

export function startReminderWorker(
  jobs: Jobs,
  deps: FlowContext,
  opts: {
    offsets: readonly ReminderOffset[];
    concurrency: number;
    batchSize: number;
    metrics: ReminderMetrics;
    logger: Logger;
  },
): void {
  const batcher = new ReminderBatcher((requests) => sendReminders(deps, opts.offsets, requests), {
    maxSize: opts.batchSize,
    maxWaitMs: BATCH_WAIT_MS,
  });
  jobs.worker<ReminderJob | Record<string, never>>(
    REMINDERS_QUEUE,
    async (job: Job<ReminderJob | Record<string, never>>, token?: string) => {
      if (job.name === SWEEP_JOB) {
        const outcomes = await sweepDueReminders(deps, opts.offsets);
        for (const outcome of outcomes) opts.metrics.record('sweep', outcome);
        const sent = outcomes.filter((o) => o.kind === 'sent').length;
        if (sent) opts.logger.info({ sent }, 'reminder sweep sent reminders whose job had not run');
        return;
      }
      const data = job.data as ReminderJob;
      const outcome = await batcher.submit({
        bookingId: data.bookingId,
        offset: { label: data.label, seconds: data.offsetSeconds },
        scheduledDueAt: new Date(data.dueAt),
      });
      opts.metrics.record('job', outcome);
      if (outcome.kind === 'wait' && token) {
        await job.moveToDelayed(outcome.until.getTime() + CLOCK_MARGIN_MS, token);
        throw new DelayedError();
      }
    },
    // BullMQ waits 15 s after losing Redis by default; reminders should resume within a second of its return.
    { concurrency: opts.concurrency, runRetryDelay: 1000 },
  );
}
