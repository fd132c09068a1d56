/** An hourly BullMQ job scheduler that purges long-expired quotes; one run at a time across replicas. */
import type { ServiceContext } from '@midas/runtime';
import { purgeExpiredQuotes } from '../flows/purge-expired-quotes';
import type { FlowContext } from '../flows/context';

export const MAINTENANCE_QUEUE = 'pricing-maintenance';
export const QUOTE_PURGE_SCHEDULER = 'purge-expired-quotes';
const EVERY_MS = 3_600_000;

export async function scheduleQuotePurge(
  ctx: Pick<ServiceContext, 'jobs' | 'logger'>,
  deps: FlowContext,
): Promise<void> {
  ctx.jobs.worker(MAINTENANCE_QUEUE, async () => {
    const purged = await purgeExpiredQuotes(deps);
    if (purged) ctx.logger.info({ purged }, 'purged expired quotes');
    return { purged };
  });
  // Upserting the same scheduler id is idempotent, so every replica may register it at start.
  // Quoting does not need Redis, so a failure here is reported rather than stopping the service.
  try {
    await ctx.jobs
      .queue(MAINTENANCE_QUEUE)
      .upsertJobScheduler(QUOTE_PURGE_SCHEDULER, { every: EVERY_MS }, { name: 'purge', data: {} });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not schedule the expired-quote purge');
  }
}
