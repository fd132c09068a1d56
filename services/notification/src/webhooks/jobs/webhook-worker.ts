/** Runs the `webhooks` queue: one attempt per job run, retried on the webhook schedule. */
import { NotCommittedYet, waitingForCommit, type Jobs, type Worker } from '@midas/jobs';
import { retryDelay, type RetryPolicy } from '../domain/retry-schedule';
import { deliverWebhook } from '../flows/deliver-webhook';
import type { FlowContext } from '../flows/context';
import { WEBHOOK_BACKOFF, WEBHOOK_QUEUE, type WebhookJob } from './webhook-queue';

export function startWebhookWorker(
  jobs: Jobs,
  ctx: FlowContext,
  options: { retry: RetryPolicy; concurrency: number },
): Worker<WebhookJob> {
  return jobs.worker<WebhookJob>(
    WEBHOOK_QUEUE,
    async (job, token) => {
      const attempts = job.opts.attempts ?? 1;
      try {
        return await waitingForCommit(job, token, () =>
          deliverWebhook(ctx, {
            deliveryId: job.data.deliveryId,
            replay: job.data.replay,
            attempt: job.attemptsMade + 1,
            last: job.attemptsMade + 1 >= attempts,
          }),
        );
      } catch (err) {
        // Waiting for the commit costs no attempt; a delivery that never appears (its
        // transaction rolled back, its subscription deleted) ends the job after the grace.
        if (err instanceof NotCommittedYet) return 'abandoned';
        throw err;
      }
    },
    {
      concurrency: options.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === WEBHOOK_BACKOFF ? retryDelay(options.retry, attemptsMade, Math.random()) : -1,
      },
    },
  );
}
