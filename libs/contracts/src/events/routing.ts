/**
 * The routing key each event is published under on the events exchange: its type, except a
 * booking's status change, which adds the status it reached (`booking.status_changed.cancelled`),
 * so each consumer binds only the statuses it acts on and the broker drops the rest unrouted.
 * Whoever wants every status change binds `booking.status_changed.*`.
 */
import { BOOKING_STATUSES, type BookingStatus } from './booking';

export const STATUS_CHANGED = 'booking.status_changed';

/** The key of a change to `to`. */
export function statusChangedKey(to: BookingStatus): string {
  return `${STATUS_CHANGED}.${to}`;
}

/** The binding keys of a consumer that acts on changes to these statuses only. */
export function statusChangedKeys(statuses: Iterable<BookingStatus>): string[] {
  return [...new Set(statuses)].map(statusChangedKey);
}

/** Binds every status change, whatever the status. */
export const ANY_STATUS_CHANGE = `${STATUS_CHANGED}.*`;

function isStatus(value: unknown): value is BookingStatus {
  return (BOOKING_STATUSES as readonly unknown[]).includes(value);
}

/**
 * The routing key of an event of `type` carrying `data`. A status change without a known `to`
 * cannot be stored (the outbox validates it); should one be published by hand, it goes out under
 * the bare type, which no consumer binds, rather than under a key someone binds.
 */
export function eventRoutingKey(type: string, data: unknown): string {
  if (type !== STATUS_CHANGED) return type;
  const to = (data as { to?: unknown } | null | undefined)?.to;
  return isStatus(to) ? statusChangedKey(to) : type;
}
