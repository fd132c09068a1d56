/**
 * The scheduled `poll` job: queues an incremental read of every linked calendar (the same
 * syncToken pushes use), so a push Google never delivered costs at most one period.
 */
import { listLinkedItems } from '../db/links';
import type { FlowContext } from './context';

export async function pollLinkedCalendars(ctx: FlowContext, round: string): Promise<number> {
  if (!ctx.google) return 0;
  const items = await listLinkedItems(ctx.db);
  await ctx.queue.enqueuePolls(items, round);
  return items.length;
}
