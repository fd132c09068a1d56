/**
 * The `notifications` BullMQ queue: one delivery job per message, its id derived from the
 * communication id so a message is never queued twice; retries with exponential backoff, and a
 * job that used its last attempt stays in the failed set (the dead letters) for a week.
 */
import { exponentialRetries, jobId, type Jobs, type Queue, type RetryPolicy } from '@midas/jobs';

export const DELIVERY_QUEUE = 'notifications';

export interface DeliveryJob {
  communicationId: string;
}

/** Delivery attempts before the message is dead-lettered (default 5); first retry delay (default 2 s: 2, 4, 8, 16 s). */
export type DeliveryPolicy = RetryPolicy;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { attempts: 5, backoffMs: 2000 };

export function deliveryJobId(communicationId: string): string {
  return jobId('deliver', communicationId);
}

export class DeliveryQueue {
  readonly queue: Queue<DeliveryJob>;

  constructor(
    jobs: Jobs,
    readonly policy: DeliveryPolicy,
  ) {
    this.queue = jobs.queue<DeliveryJob>(DELIVERY_QUEUE, exponentialRetries(policy));
  }

  /** Called once the transaction that recorded the message committed. */
  async enqueue(communicationId: string): Promise<void> {
    await this.queue.add('deliver', { communicationId }, { jobId: deliveryJobId(communicationId) });
  }

  /**
   * Queues a message again after its job was lost (Redis flushed) or ended without finishing
   * it (the database was away on its last attempt). A job still waiting or retrying is left alone.
   */
  async requeue(communicationId: string): Promise<boolean> {
    const id = deliveryJobId(communicationId);
    const existing = await this.queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await existing.remove();
    }
    await this.queue.add('deliver', { communicationId }, { jobId: id });
    return true;
  }
}
