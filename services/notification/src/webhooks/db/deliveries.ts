/** SQL for webhook deliveries: one row per (subscription, event, booking), its attempts, the per-booking sequence. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import {
  webhookAttempts,
  webhookBookingSequences,
  webhookDeliveries as deliveries,
  type DeliveryRow,
} from './schema';

/** The next sequence number of a booking's webhook events (the row lock orders concurrent events). */
export async function nextBookingSequence(db: Tx, bookingId: string): Promise<number> {
  const [row] = await db
    .insert(webhookBookingSequences)
    .values({ bookingId, lastSequence: 1 })
    .onConflictDoUpdate({
      target: webhookBookingSequences.bookingId,
      set: { lastSequence: sql`${webhookBookingSequences.lastSequence} + 1` },
    })
    .returning({ sequence: webhookBookingSequences.lastSequence });
  return row!.sequence;
}

export type NewDelivery = Pick<
  DeliveryRow,
  'id' | 'subscriptionId' | 'eventId' | 'eventType' | 'bookingId' | 'sequence' | 'body'
>;

/** Inserts the delivery unless this event already produced one for this subscription and booking. */
export async function insertDelivery(db: Tx, values: NewDelivery): Promise<boolean> {
  const inserted = await db
    .insert(deliveries)
    .values({ ...values, status: 'pending', attempts: 0, replays: 0 })
    .onConflictDoNothing({ target: [deliveries.subscriptionId, deliveries.eventId, deliveries.bookingId] })
    .returning({ id: deliveries.id });
  return inserted.length > 0;
}

export async function findDelivery(db: Tx, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

/** Newest first. */
export async function listDeliveries(
  db: Tx,
  query: { subscriptionId: string; beforeSeq?: number; status?: DeliveryRow['status']; limit: number },
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.subscriptionId, query.subscriptionId),
        query.beforeSeq === undefined ? undefined : lt(deliveries.seq, query.beforeSeq),
        query.status === undefined ? undefined : eq(deliveries.status, query.status),
      ),
    )
    .orderBy(desc(deliveries.seq))
    .limit(query.limit);
}

export interface AttemptResult {
  attempt: number;
  replay: number;
  ok: boolean;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** The delivery gives up after this attempt. */
  final: boolean;
}

/** Records one attempt and its outcome on the delivery. */
export async function recordAttempt(db: Tx, id: string, result: AttemptResult, at: Date): Promise<void> {
  await db.insert(webhookAttempts).values({
    deliveryId: id,
    attempt: result.attempt,
    replay: result.replay,
    responseStatus: result.responseStatus,
    latencyMs: result.latencyMs,
    error: result.error,
    at,
  });
  await db
    .update(deliveries)
    .set({
      attempts: sql`${deliveries.attempts} + 1`,
      responseStatus: result.responseStatus,
      latencyMs: result.latencyMs,
      error: result.error,
      updatedAt: at,
      ...(result.ok
        ? { status: 'delivered' as const, deliveredAt: at }
        : result.final
          ? { status: 'failed' as const }
          : {}),
    })
    .where(eq(deliveries.id, id));
}

/** Gives up on a delivery without sending (its subscription is off or gone). */
export async function abandonDelivery(db: Tx, id: string, error: string): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: 'failed', error, updatedAt: new Date() })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, 'pending')));
}

/** Marks a delivery for sending again; returns the replay number (part of the job id). */
export async function startReplay(db: Tx, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({ status: 'pending', replays: sql`${deliveries.replays} + 1`, updatedAt: new Date() })
    .where(eq(deliveries.id, id))
    .returning();
  return row;
}
