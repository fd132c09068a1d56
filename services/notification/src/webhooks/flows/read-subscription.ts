/** One subscription, or 404. */
import { NotFound } from '@midas/contracts';
import { findSubscription } from '../db/subscriptions';
import type { SubscriptionRow } from '../db/schema';
import type { WebhookContext } from './context';

export async function readSubscription(ctx: WebhookContext, id: string): Promise<SubscriptionRow> {
  const row = await findSubscription(ctx.db, id);
  if (!row) throw new NotFound('webhook subscription');
  return row;
}
