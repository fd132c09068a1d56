/**
 * Sends a delivery again, as it was: same `webhook-id`, same body (a fresh timestamp and
 * signature). Each replay is its own job, retried like the first sending.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { findDelivery, startReplay } from '../db/deliveries';
import type { DeliveryRow } from '../db/schema';
import type { FlowContext } from './context';
import { readSubscription } from './read-subscription';

export async function replayDelivery(
  ctx: FlowContext,
  subscriptionId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  const sub = await readSubscription(ctx, subscriptionId);
  if (!sub.active) {
    throw new Conflict(
      'subscription_disabled',
      'The subscription is disabled; switch it on before replaying',
    );
  }
  const existing = await findDelivery(ctx.db, deliveryId);
  if (!existing || existing.subscriptionId !== subscriptionId) throw new NotFound('webhook delivery');
  const row = await startReplay(ctx.db, deliveryId);
  if (!row) throw new NotFound('webhook delivery');
  await ctx.queue.enqueue(row.id, row.replays);
  ctx.logger.info({ subscriptionId, deliveryId, replay: row.replays }, 'webhook delivery replayed');
  return row;
}
