/**
 * Repairs deliveries whose job was lost (Redis flushed or failed over) or ended without finishing
 * the message (the database was away on its last attempt): any message still pending after a
 * while is queued again under its own job id.
 */
import { listStalePending } from '../db/communications';
import type { FlowContext } from './context';

export async function requeueStaleMessages(
  ctx: FlowContext,
  olderThanMs: number,
  now = new Date(),
): Promise<number> {
  const stale = await listStalePending(ctx.db, new Date(now.getTime() - olderThanMs), 500);
  let requeued = 0;
  for (const { id } of stale) {
    if (await ctx.delivery.requeue(id)) requeued += 1;
  }
  if (requeued) ctx.logger.warn({ requeued }, 'requeued pending messages whose delivery job was gone');
  return requeued;
}
