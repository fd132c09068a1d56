/**
 * Every admin change of a pricing rule leaves two traces in its own transaction: the audit row and
 * one `pricing.*` event in the outbox with the rule's new and previous values. A change that fails
 * rolls both back, so nothing is announced that did not happen.
 */
import { PRICING_EVENT_VERSION, pricingEvents, type PricingEventType } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { recordAudit, type Actor, type AuditEntry } from '../../db/audit';

const EVENT_OF = {
  rate_card: 'pricing.rate_card_changed',
  season: 'pricing.season_changed',
  add_on: 'pricing.addon_changed',
  refund_policy: 'pricing.refund_policy_changed',
  tier: 'pricing.tier_changed',
  tax: 'pricing.tax_changed',
  location_adjustment: 'pricing.location_adjustment_changed',
} as const satisfies Record<string, PricingEventType>;

export type PricingEntity = keyof typeof EVENT_OF;

const CHANGE = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export async function recordChange(
  tx: Tx,
  actor: Actor,
  entry: AuditEntry & { entity: PricingEntity },
): Promise<void> {
  await recordAudit(tx, actor, entry);
  const type = EVENT_OF[entry.entity];
  // Validated against the published schema here: libs/messaging checks only the types it knows.
  const data = pricingEvents[type].parse({
    change: CHANGE[entry.action],
    id: entry.entityId,
    current: entry.after ?? null,
    previous: entry.before ?? null,
    actor: `${actor.role}:${actor.sub}`,
  });
  await enqueueEvent(tx, 'pricing', { type, version: PRICING_EVENT_VERSION, data });
}

/** The change of a rule that is set whole: a creation when it had no value `before`, an update otherwise. */
export async function recordSet(
  tx: Tx,
  actor: Actor,
  rule: { entity: PricingEntity; entityId: string; before: unknown; after: unknown },
): Promise<void> {
  await recordChange(tx, actor, { ...rule, action: rule.before ? 'update' : 'create' });
}
