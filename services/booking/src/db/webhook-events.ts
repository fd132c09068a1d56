/** The inbox of provider webhooks: which event ids were already handled. */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { webhookEvents } from './schema';

export async function webhookSeen(tx: Tx, provider: string, eventId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: webhookEvents.eventId })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, provider), eq(webhookEvents.eventId, eventId)));
  return rows.length > 0;
}

/** Returns false when another delivery of the same event got there first. */
export async function recordWebhook(
  tx: Tx,
  provider: string,
  eventId: string,
  type: string,
): Promise<boolean> {
  const rows = await tx
    .insert(webhookEvents)
    .values({ provider, eventId, type })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.eventId });
  return rows.length > 0;
}
