/**
 * One attempt of one delivery: signs the stored body with the subscription's secret (and the
 * previous one during a rotation's overlap), sends it, records the attempt. A failure counts
 * against the subscription; enough of them in a row, over long enough, switch it off, publish
 * `webhook.disabled` for the admins and stop its pending deliveries. Throws to have the queue
 * retry; after the last attempt the delivery is marked failed.
 */
import { UnrecoverableError } from 'bullmq';
import { NotCommittedYet } from '@midas/jobs';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { abandonDelivery, findDelivery, recordAttempt } from '../db/deliveries';
import { findSubscription, noteFailure, noteSuccess, updateSubscription } from '../db/subscriptions';
import type { DeliveryRow, SubscriptionRow } from '../db/schema';
import { shouldDisable } from '../domain/disable-policy';
import { signatureHeader } from '../domain/signature';
import type { FlowContext } from './context';

export const SCHEMA = 'notification';

/** The delivery is not visible yet: the event's transaction has not committed. */
export class DeliveryNotRecordedYet extends NotCommittedYet {
  constructor(deliveryId: string) {
    super(`webhook delivery ${deliveryId} is not recorded yet`);
  }
}

export type WebhookOutcome = 'delivered' | 'already_delivered' | 'abandoned';

function secretsOf(ctx: FlowContext, sub: SubscriptionRow): string[] {
  const secrets = [ctx.box.open(sub.secretSealed)];
  if (sub.previousSecretSealed && sub.previousSecretExpiresAt && sub.previousSecretExpiresAt > ctx.now()) {
    secrets.push(ctx.box.open(sub.previousSecretSealed));
  }
  return secrets;
}

export async function deliverWebhook(
  ctx: FlowContext,
  job: { deliveryId: string; replay: number; attempt: number; last: boolean },
): Promise<WebhookOutcome> {
  const delivery = await findDelivery(ctx.db, job.deliveryId);
  if (!delivery) {
    // Gone with its subscription, or not committed yet; the worker waits a while for the latter.
    throw new DeliveryNotRecordedYet(job.deliveryId);
  }
  if (delivery.status === 'delivered' && delivery.replays === job.replay) return 'already_delivered';
  if (delivery.replays !== job.replay) return 'abandoned'; // superseded by a later replay
  const sub = await findSubscription(ctx.db, delivery.subscriptionId);
  if (!sub || !sub.active) {
    await abandonDelivery(ctx.db, delivery.id, 'the subscription is disabled');
    return 'abandoned';
  }

  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const outcome = await ctx.sender.send(
    sub.url,
    {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secretsOf(ctx, sub), delivery.id, timestamp, delivery.body),
    },
    delivery.body,
  );
  const labels = { subscription: sub.id };
  // Every series of the subscription exists from its first attempt, at 0 until counted, so rates
  // and alerts see a start instead of nothing.
  ctx.metrics.attempts.inc({ ...labels, outcome: outcome.ok ? 'failed' : 'sent' }, 0);
  ctx.metrics.disabled.inc(labels, 0);
  ctx.metrics.attempts.inc({ ...labels, outcome: outcome.ok ? 'sent' : 'failed' });
  ctx.metrics.latency.observe(labels, outcome.latencyMs / 1000);
  const log = ctx.logger.child({
    subscriptionId: sub.id,
    deliveryId: delivery.id,
    eventType: delivery.eventType,
    attempt: job.attempt,
    replay: job.replay,
  });

  const at = ctx.now();
  const final = !outcome.ok && job.last;
  const disabled = await ctx.db.transaction(async (tx) => {
    await recordAttempt(
      tx,
      delivery.id,
      {
        attempt: job.attempt,
        replay: job.replay,
        ok: outcome.ok,
        responseStatus: outcome.responseStatus,
        latencyMs: outcome.latencyMs,
        error: outcome.error?.slice(0, 2000) ?? null,
        final,
      },
      at,
    );
    if (outcome.ok) {
      await noteSuccess(tx, sub.id);
      return null;
    }
    return countFailure(ctx, tx, sub, delivery, outcome.error, at);
  });

  if (outcome.ok) {
    log.info({ status: outcome.responseStatus, latencyMs: outcome.latencyMs }, 'webhook delivered');
    return 'delivered';
  }
  if (disabled) {
    ctx.metrics.disabled.inc(labels);
    log.error({ reason: disabled }, 'webhook subscription disabled after failing too long');
    throw new UnrecoverableError(`subscription disabled: ${disabled}`);
  }
  log.warn(
    { status: outcome.responseStatus, latencyMs: outcome.latencyMs, err: outcome.error, final },
    final ? 'webhook delivery failed; no attempts left' : 'webhook attempt failed; will retry',
  );
  throw new Error(`webhook attempt failed: ${outcome.error ?? 'unknown'}`);
}

/**
 * A failed attempt counts against its subscription; one failing for long enough is switched off
 * (`webhook.disabled` for the admins) and this delivery abandoned. Returns the reason it was
 * disabled, or null while it stays on.
 */
async function countFailure(
  ctx: FlowContext,
  tx: Tx,
  sub: SubscriptionRow,
  delivery: DeliveryRow,
  error: string | null | undefined,
  at: Date,
): Promise<string | null> {
  const failing = await noteFailure(tx, sub.id, at);
  if (!failing?.active || !failing.failingSince) return null;
  if (!shouldDisable(ctx.disable, failing.consecutiveFailures, failing.failingSince, at)) return null;
  const reason =
    `${failing.consecutiveFailures} failed attempts in a row since ${failing.failingSince.toISOString()}; last: ${error ?? 'unknown'}`.slice(
      0,
      2000,
    );
  await updateSubscription(tx, sub.id, { active: false, disabledAt: at, disabledReason: reason });
  // This delivery ends here too; the others end when their next attempt finds the subscription off.
  await abandonDelivery(tx, delivery.id, error ?? 'the subscription was disabled');
  await enqueueEvent(tx, SCHEMA, {
    type: 'webhook.disabled',
    data: {
      subscriptionId: sub.id,
      url: sub.url,
      consecutiveFailures: failing.consecutiveFailures,
      failingSince: failing.failingSince.toISOString(),
      reason,
    },
  });
  return reason;
}
