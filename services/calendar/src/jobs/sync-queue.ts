/**
 * The `calendar-sync` BullMQ queue: one `write` job per change of a booking or blackout (its id
 * derived from the entry and its SEQUENCE, so a change is queued once), `pull` jobs reading a
 * calendar's changes (on a push, or for every linked calendar from the periodic `poll`), and the
 * periodic `renew` of push channels. Writes retry with
 * exponential backoff; one that used its last attempt is recorded as failed on the entry.
 */
import { randomBytes } from 'node:crypto';
import { afterCommit, exponentialRetries, jobId, type Jobs, type Queue, type RetryPolicy } from '@midas/jobs';
import type { EntryKind } from '../domain/entry';

export const SYNC_QUEUE = 'calendar-sync';

export interface WriteJob {
  entryKind: EntryKind;
  ref: string;
  sequence: number;
}
export interface PullJob {
  itemId: string;
  /** The channel whose notification asked for the read; absent for a scheduled read. */
  channelId?: string;
}
export type SyncJob = WriteJob | PullJob | Record<string, never>;

/** Attempts per write before it is recorded as failed (default 6); first retry delay (default 2 s). */
export type SyncPolicy = RetryPolicy;

export const DEFAULT_SYNC_POLICY: SyncPolicy = { attempts: 6, backoffMs: 2000 };

export function writeJobId(job: WriteJob, batch?: string): string {
  return jobId('write', job.entryKind, job.ref, job.sequence, ...(batch ? [batch] : []));
}

/** A fresh id for a bulk request: its jobs are new even for entries already written at this SEQUENCE. */
export function newBatchId(): string {
  return `b${randomBytes(6).toString('hex')}`;
}

export class SyncQueue {
  readonly queue: Queue<SyncJob>;

  constructor(
    jobs: Jobs,
    readonly policy: SyncPolicy,
  ) {
    this.queue = jobs.queue<SyncJob>(SYNC_QUEUE, exponentialRetries(policy));
  }

  async enqueueWrites(jobs: WriteJob[], batch?: string): Promise<void> {
    if (!jobs.length) return;
    await this.queue.addBulk(
      jobs.map((data) => ({
        name: 'write',
        data,
        opts: afterCommit(writeJobId(data, batch)),
      })),
    );
  }

  /** Google numbers its notifications per channel, so each one is read once. */
  async enqueuePull(job: PullJob & { channelId: string }, messageNumber: string | undefined): Promise<void> {
    const number = messageNumber ?? `r${randomBytes(6).toString('hex')}`;
    await this.queue.add('pull', job, { jobId: jobId('pull', job.channelId, number), attempts: 5 });
  }

  /** One read per linked item for the scheduled round `round`, so a round is queued once. */
  async enqueuePolls(itemIds: string[], round: string): Promise<void> {
    if (!itemIds.length) return;
    await this.queue.addBulk(
      itemIds.map((itemId) => ({
        name: 'pull',
        data: { itemId },
        opts: { jobId: jobId('poll', itemId, round), attempts: 3 },
      })),
    );
  }
}
