/** SQL for the communications record: one row per message, its delivery tries, keyset-paginated lists. */
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { communications, deliveryAttempts, type CommunicationRow } from './schema';

export type NewCommunication = Pick<
  CommunicationRow,
  | 'id'
  | 'eventId'
  | 'eventType'
  | 'bookingId'
  | 'template'
  | 'channel'
  | 'recipient'
  | 'subject'
  | 'html'
  | 'bodyText'
> &
  Partial<Pick<CommunicationRow, 'status' | 'error'>>;

/** Inserts the message unless this event already produced this template; returns whether it did. */
export async function insertCommunication(db: Tx, values: NewCommunication): Promise<boolean> {
  const inserted = await db
    .insert(communications)
    .values({ status: 'pending', attempts: 0, ...values })
    .onConflictDoNothing({ target: [communications.eventId, communications.template] })
    .returning({ id: communications.id });
  return inserted.length > 0;
}

/** The ids of an event's messages still waiting for delivery. */
export async function pendingOfEvent(db: Tx, eventId: string): Promise<string[]> {
  const rows = await db
    .select({ id: communications.id })
    .from(communications)
    .where(and(eq(communications.eventId, eventId), eq(communications.status, 'pending')));
  return rows.map((r) => r.id);
}

export async function findCommunication(db: Tx, id: string): Promise<CommunicationRow | undefined> {
  const [row] = await db.select().from(communications).where(eq(communications.id, id));
  return row;
}

/** Counts a delivery attempt on a message still pending; undefined when it is already finished. */
export async function startAttempt(db: Tx, id: string): Promise<CommunicationRow | undefined> {
  const [row] = await db
    .update(communications)
    .set({ attempts: sql`${communications.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(communications.id, id), eq(communications.status, 'pending')))
    .returning();
  return row;
}

export interface TransportTry {
  transport: string;
  outcome: 'accepted' | 'failed';
  providerMessageId?: string;
  error?: string;
}

export async function recordTries(
  db: Tx,
  communicationId: string,
  attempt: number,
  tries: TransportTry[],
): Promise<void> {
  if (tries.length === 0) return;
  await db.insert(deliveryAttempts).values(
    tries.map((t) => ({
      communicationId,
      attempt,
      transport: t.transport,
      outcome: t.outcome,
      providerMessageId: t.providerMessageId ?? null,
      error: t.error ?? null,
    })),
  );
}

/** Finishes a pending message as delivered (or logged); undefined when something else finished it first. */
export async function markDelivered(
  db: Tx,
  id: string,
  outcome: {
    status: 'sent' | 'logged';
    channel: 'email' | 'log';
    transport: string | null;
    providerMessageId: string | null;
  },
): Promise<CommunicationRow | undefined> {
  const now = new Date();
  const [row] = await db
    .update(communications)
    .set({ ...outcome, error: null, sentAt: now, updatedAt: now })
    .where(and(eq(communications.id, id), eq(communications.status, 'pending')))
    .returning();
  return row;
}

/** Keeps the last error on a message that will be tried again. */
export async function noteError(db: Tx, id: string, error: string): Promise<void> {
  await db
    .update(communications)
    .set({ error, updatedAt: new Date() })
    .where(and(eq(communications.id, id), eq(communications.status, 'pending')));
}

export async function markFailed(db: Tx, id: string, error: string): Promise<CommunicationRow | undefined> {
  const [row] = await db
    .update(communications)
    .set({ status: 'failed', error, updatedAt: new Date() })
    .where(and(eq(communications.id, id), eq(communications.status, 'pending')))
    .returning();
  return row;
}

export interface BookingPage {
  bookingId: string;
  /** Keyset position: the `seq` of the last message of the previous page. */
  afterSeq?: number;
  limit: number;
}

export async function listForBooking(db: Tx, page: BookingPage): Promise<CommunicationRow[]> {
  return db
    .select()
    .from(communications)
    .where(
      and(
        eq(communications.bookingId, page.bookingId),
        page.afterSeq === undefined ? undefined : gt(communications.seq, page.afterSeq),
      ),
    )
    .orderBy(asc(communications.seq))
    .limit(page.limit);
}

/** Messages still pending after `olderThan`: their delivery job may have been lost with Redis. */
export async function listStalePending(db: Tx, olderThan: Date, limit: number): Promise<{ id: string }[]> {
  return db
    .select({ id: communications.id })
    .from(communications)
    .where(and(eq(communications.status, 'pending'), lt(communications.createdAt, olderThan)))
    .orderBy(asc(communications.createdAt))
    .limit(limit);
}

export async function listTries(db: Tx, communicationId: string) {
  return db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.communicationId, communicationId))
    .orderBy(asc(deliveryAttempts.id));
}
