/** Deletes a subscription with its delivery log; jobs still queued for it find nothing and stop. */
import { NotFound } from '@midas/contracts';
import { deleteSubscription as remove } from '../db/subscriptions';
import type { FlowContext } from './context';

export async function deleteSubscription(ctx: FlowContext, id: string): Promise<void> {
  if (!(await remove(ctx.db, id))) throw new NotFound('webhook subscription');
  ctx.subscribed.refreshSoon();
  ctx.logger.info({ subscriptionId: id }, 'webhook subscription deleted');
}
