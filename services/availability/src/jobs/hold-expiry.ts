/**
 * Hold expiry on BullMQ: one delayed job per hold at its `expiresAt`, and a periodic sweep that
 * repairs whatever a lost job missed. Both only end holds whose time has come, so running late,
 * twice, or after a booking took the hold over does nothing wrong. A watchdog re-registers the
 * sweep's scheduler, which a Redis that lost its data would otherwise have forgotten.
 */
import { DelayedError, type Job } from 'bullmq';
import { jobId, SchedulerWatchdog, type Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { Allocation } from '../db/allocations';
import type { FlowContext } from '../flows/context';
import { expireHold, sweepLapsedHolds } from '../flows/expire-holds';

export const HOLDS_QUEUE = 'holds';
const SWEEP_SCHEDULER = 'holds-sweep';

interface ExpireData {
  holdId: string;
}

export interface HoldExpiryOptions {
  /** How often the sweep runs (ms). */
  sweepEveryMs: number;
  /** How often the sweep's scheduler is re-asserted in Redis (ms). */
  watchdogEveryMs: number;
}

export class HoldExpiry {
  private readonly sweep: SchedulerWatchdog;

  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
    options: HoldExpiryOptions,
  ) {
    const sweep = {
      queue: HOLDS_QUEUE,
      id: SWEEP_SCHEDULER,
      name: 'sweep',
      repeat: { every: options.sweepEveryMs },
    };
    this.sweep = new SchedulerWatchdog(jobs, logger, [sweep], options.watchdogEveryMs);
  }

  /** Schedules the expiry of a hold; if Redis is away the sweep and the lazy path cover it, so this never fails a request. */
  async schedule(hold: Allocation): Promise<void> {
    if (hold.kind !== 'hold' || !hold.expiresAt) return;
    const at = hold.expiresAt.getTime();
    try {
      await this.jobs
        .queue<ExpireData>(HOLDS_QUEUE)
        .add(
          'expire',
          { holdId: hold.id },
          { jobId: jobId('hold-expiry', hold.id, at), delay: Math.max(0, at - Date.now()) },
        );
    } catch (err) {
      this.logger.warn({ err, holdId: hold.id }, 'could not schedule hold expiry; the sweep will end it');
    }
  }

  /** Removes the expiry job of a hold that was booked; a job left behind finds the hold booked and does nothing. */
  async cancel(hold: Allocation): Promise<void> {
    if (!hold.expiresAt) return;
    try {
      await this.jobs
        .queue<ExpireData>(HOLDS_QUEUE)
        .remove(jobId('hold-expiry', hold.id, hold.expiresAt.getTime()));
    } catch (err) {
      this.logger.warn({ err, holdId: hold.id }, 'could not remove the expiry job of a booked hold');
    }
  }

  /** Starts the worker, the sweep scheduler and its watchdog. */
  async start(flows: FlowContext): Promise<void> {
    this.jobs.worker<ExpireData | Record<string, never>>(
      HOLDS_QUEUE,
      async (job: Job<ExpireData | Record<string, never>>, token?: string) => {
        if (job.name === 'sweep') {
          const ended = await sweepLapsedHolds(flows);
          if (ended) this.logger.info({ ended }, 'sweep ended lapsed holds');
          return;
        }
        const { holdId } = job.data as ExpireData;
        const outcome = await expireHold(flows, holdId);
        // Clocks differ a little between Redis and Postgres: come back exactly when the hold lapses.
        if (outcome.notYet && token) {
          await job.moveToDelayed(outcome.notYet.getTime() + 20, token);
          throw new DelayedError();
        }
      },
      { concurrency: 8 },
    );
    await this.sweep.start();
  }

  stop(): void {
    this.sweep.stop();
  }
}
