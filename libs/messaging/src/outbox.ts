/** The write side of the transactional outbox: an event row committed with the state change it describes. */
import { randomUUID } from 'node:crypto';
import {
  availabilityEvents,
  bookingEvents,
  calendarEvents,
  notificationEvents,
  pricingEvents,
  webhookEvents,
} from '@midas/contracts';
import { sql, type Tx } from '@midas/db';
import type { z } from 'zod';
import { traceHeaders } from './envelope';

/** Event schemas from @midas/contracts; events of these types are validated before they are stored. */
export const knownEvents = {
  ...availabilityEvents,
  ...bookingEvents,
  ...notificationEvents,
  ...pricingEvents,
  ...calendarEvents,
  ...webhookEvents,
};
export type KnownEventType = keyof typeof knownEvents;

export type EventData<T extends string> = T extends KnownEventType
  ? z.input<(typeof knownEvents)[T]>
  : unknown;

export interface NewEvent<T extends string> {
  type: T;
  data: EventData<T>;
  /** Schema version of `data` (default 1). */
  version?: number;
  /** Fixed id, e.g. derived from the change it reports; a random UUID otherwise. */
  id?: string;
}

/**
 * Stores an event in `<schema>.outbox` through `tx` (a drizzle transaction, or the db for a lone
 * write); the relay publishes it after commit. The active trace context is kept with the row,
 * so the consumer's span joins the producer's trace. Returns the event id.
 */
export async function enqueueEvent<T extends string>(
  tx: Tx,
  schema: string,
  event: NewEvent<T>,
): Promise<string> {
  const known = knownEvents[event.type as KnownEventType] as z.ZodType | undefined;
  const data = known ? known.parse(event.data) : event.data;
  const id = event.id ?? randomUUID();
  await tx.execute(
    sql`INSERT INTO ${sql.identifier(schema)}.outbox (id, type, version, occurred_at, data, headers)
        VALUES (${id}, ${event.type}, ${event.version ?? 1}, ${new Date().toISOString()}, ${JSON.stringify(data)}::jsonb,
                ${JSON.stringify(traceHeaders())}::jsonb)`,
  );
  return id;
}

/**
 * As enqueueEvent for many events in one statement (one round trip whatever their number), for a
 * transaction that records many changes at once. Returns the ids in the order given.
 */
export async function enqueueEvents<T extends string>(
  tx: Tx,
  schema: string,
  events: readonly NewEvent<T>[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const occurredAt = new Date().toISOString();
  const headers = JSON.stringify(traceHeaders());
  const rows = events.map((event) => {
    const known = knownEvents[event.type as KnownEventType] as z.ZodType | undefined;
    return {
      id: event.id ?? randomUUID(),
      type: event.type,
      version: event.version ?? 1,
      data: known ? known.parse(event.data) : event.data,
    };
  });
  await tx.execute(
    sql`INSERT INTO ${sql.identifier(schema)}.outbox (id, type, version, occurred_at, data, headers)
        SELECT e.id, e.type, e.version, ${occurredAt}::timestamptz, e.data, ${headers}::jsonb
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS e(id uuid, type text, version int, data jsonb)`,
  );
  return rows.map((r) => r.id);
}
