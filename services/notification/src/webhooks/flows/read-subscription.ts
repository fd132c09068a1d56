/** One subscription, or 404. */
import { NotFound } from '@midas/contracts';
import { findSubscription } from '../db/subscriptions';
import type { SubscriptionRow } from '../db/schema';
import type { FlowContext } from './context';

export async function readSubscription(ctx: FlowContext, id: string): Promise<SubscriptionRow> {
  const row = await findSubscription(ctx.db, id);
  if (!row) throw new NotFound('webhook subscription');
  return row;
}
