/** Subscribes a URL to event types: checks the URL, makes the signing secret, stores it sealed, returns it once. */
import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from '@midas/contracts';
import { insertSubscription } from '../db/subscriptions';
import { newSigningSecret } from '../domain/signature';
import type { FlowContext } from './context';
import { validateUrl } from './validate-url';

export async function createSubscription(
  ctx: FlowContext,
  input: { url: string; events: WebhookEventType[]; description?: string; includePersonalData: boolean },
  actor: string | undefined,
) {
  await validateUrl(ctx, input.url);
  const secret = newSigningSecret();
  const row = await insertSubscription(ctx.db, {
    id: randomUUID(),
    url: input.url,
    events: input.events,
    description: input.description ?? null,
    includePersonalData: input.includePersonalData,
    secretSealed: ctx.box.seal(secret),
    createdBy: actor ?? null,
  });
  ctx.logger.info({ subscriptionId: row.id, events: row.events }, 'webhook subscription created');
  ctx.subscribed.refreshSoon();
  return { row, secret };
}
