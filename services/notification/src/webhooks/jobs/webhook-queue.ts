/**
 * The `webhooks` BullMQ queue: one job per delivery (and one per replay), its id derived from
 * the delivery so an event recorded twice is never queued twice; retried on the webhook
 * schedule (see domain/retry-schedule), the exhausted ones kept in the failed set.
 */
import { afterCommit, jobId, type Jobs, type Queue } from '@midas/jobs';
import type { RetryPolicy } from '../domain/retry-schedule';

export const WEBHOOK_QUEUE = 'webhooks';
/** The backoff type the worker's strategy answers to. */
export const WEBHOOK_BACKOFF = 'webhook';

export interface WebhookJob {
  deliveryId: string;
  /** 0 for the first sending, n for the n-th replay. */
  replay: number;
}

export function webhookJobId(deliveryId: string, replay: number): string {
  return replay === 0 ? jobId('webhook', deliveryId) : jobId('webhook', deliveryId, `replay${replay}`);
}

export class WebhookQueue {
  readonly queue: Queue<WebhookJob>;

  constructor(
    jobs: Jobs,
    readonly retry: RetryPolicy,
  ) {
    this.queue = jobs.queue<WebhookJob>(WEBHOOK_QUEUE, {
      attempts: retry.attempts,
      backoff: { type: WEBHOOK_BACKOFF },
    });
  }

  async enqueue(deliveryId: string, replay = 0): Promise<void> {
    await this.queue.add('deliver', { deliveryId, replay }, afterCommit(webhookJobId(deliveryId, replay)));
  }
}
