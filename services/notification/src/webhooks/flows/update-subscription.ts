/**
 * Changes a subscription. A new URL is checked like a new subscription's; switching one on again
 * clears why it was switched off and starts its failure count afresh.
 */
import { NotFound, type WebhookEventType } from '@midas/contracts';
import { updateSubscription as update } from '../db/subscriptions';
import type { SubscriptionRow } from '../db/schema';
import type { FlowContext } from './context';
import { validateUrl } from './validate-url';

export async function updateSubscription(
  ctx: FlowContext,
  id: string,
  input: {
    url?: string;
    events?: WebhookEventType[];
    description?: string | null;
    includePersonalData?: boolean;
    active?: boolean;
  },
): Promise<SubscriptionRow> {
  if (input.url !== undefined) await validateUrl(ctx, input.url);
  const changes: Parameters<typeof update>[2] = {};
  if (input.url !== undefined) changes.url = input.url;
  if (input.events !== undefined) changes.events = input.events;
  if (input.description !== undefined) changes.description = input.description;
  if (input.includePersonalData !== undefined) changes.includePersonalData = input.includePersonalData;
  if (input.active === true) {
    Object.assign(changes, {
      active: true,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
      failingSince: null,
    });
  } else if (input.active === false) {
    changes.active = false;
  }
  const row = await update(ctx.db, id, changes);
  if (!row) throw new NotFound('webhook subscription');
  ctx.subscribed.refreshSoon();
  ctx.logger.info({ subscriptionId: id, changed: Object.keys(input) }, 'webhook subscription changed');
  return row;
}
