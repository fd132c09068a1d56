/** SQL for webhook subscriptions: create, read, change, delete, and the failure bookkeeping of deliveries. */
import { and, arrayContains, asc, eq, gt, sql } from 'drizzle-orm';
import type { WebhookEventType } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { webhookSubscriptions as subs, type SubscriptionRow } from './schema';

export type NewSubscription = Pick<
  SubscriptionRow,
  'id' | 'url' | 'events' | 'description' | 'includePersonalData' | 'secretSealed' | 'createdBy'
>;

export async function insertSubscription(db: Tx, values: NewSubscription): Promise<SubscriptionRow> {
  const [row] = await db
    .insert(subs)
    .values({ ...values, active: true, consecutiveFailures: 0 })
    .returning();
  return row!;
}

export async function findSubscription(db: Tx, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(subs).where(eq(subs.id, id));
  return row;
}

export async function listSubscriptions(
  db: Tx,
  query: { afterSeq?: number; limit: number },
): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(subs)
    .where(query.afterSeq === undefined ? undefined : gt(subs.seq, query.afterSeq))
    .orderBy(asc(subs.seq))
    .limit(query.limit);
}

/** Active subscriptions that asked for `eventType`. */
export async function subscribersOf(db: Tx, eventType: WebhookEventType): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(subs)
    .where(and(eq(subs.active, true), arrayContains(subs.events, [eventType])))
    .orderBy(asc(subs.seq));
}

/** Every event type at least one active subscription asked for. */
export async function activeEventTypes(db: Tx): Promise<string[]> {
  const rows = await db
    .selectDistinct({ type: sql<string>`unnest(${subs.events})` })
    .from(subs)
    .where(eq(subs.active, true));
  return rows.map((row) => row.type);
}

export async function updateSubscription(
  db: Tx,
  id: string,
  changes: Partial<Omit<SubscriptionRow, 'id' | 'seq' | 'createdAt' | 'createdBy'>>,
): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .update(subs)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(subs.id, id))
    .returning();
  return row;
}

export async function deleteSubscription(db: Tx, id: string): Promise<boolean> {
  const deleted = await db.delete(subs).where(eq(subs.id, id)).returning({ id: subs.id });
  return deleted.length > 0;
}

/** A delivered attempt ends any run of failures. */
export async function noteSuccess(db: Tx, id: string): Promise<void> {
  await db
    .update(subs)
    .set({ consecutiveFailures: 0, failingSince: null })
    .where(and(eq(subs.id, id), gt(subs.consecutiveFailures, 0)));
}

/** Counts a failed attempt; returns the run of failures so far (row locked until the transaction ends). */
export async function noteFailure(db: Tx, id: string, at: Date): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .update(subs)
    .set({
      consecutiveFailures: sql`${subs.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${subs.failingSince}, ${at.toISOString()}::timestamptz)`,
    })
    .where(eq(subs.id, id))
    .returning();
  return row;
}
