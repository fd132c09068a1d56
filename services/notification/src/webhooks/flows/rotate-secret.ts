/**
 * Gives a subscription a new signing secret. During the overlap the previous secret signs too
 * (both signatures in `webhook-signature`), so the receiver can switch without losing a delivery.
 */
import { NotFound } from '@midas/contracts';
import { findSubscription, updateSubscription } from '../db/subscriptions';
import { newSigningSecret } from '../domain/signature';
import type { FlowContext } from './context';

export async function rotateSecret(ctx: FlowContext, id: string, overlapSeconds: number) {
  const secret = newSigningSecret();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await findSubscription(tx, id);
    if (!current) throw new NotFound('webhook subscription');
    const overlap = overlapSeconds > 0;
    return updateSubscription(tx, id, {
      secretSealed: ctx.box.seal(secret),
      previousSecretSealed: overlap ? current.secretSealed : null,
      previousSecretExpiresAt: overlap ? new Date(ctx.now().getTime() + overlapSeconds * 1000) : null,
    });
  });
  if (!row) throw new NotFound('webhook subscription');
  ctx.logger.info({ subscriptionId: id, overlapSeconds }, 'webhook secret rotated');
  return { row, secret };
}
