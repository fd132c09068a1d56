/** The append-only record of every status a booking took, with who moved it and why. */
import type { Tx } from '@midas/db';
import type { BookingStatus } from '@midas/contracts';
import { statusHistory } from './schema';

export interface ActorRef {
  role: string;
  id?: string;
}

export async function recordStatus(
  tx: Tx,
  entry: {
    bookingId: string;
    from: BookingStatus | null;
    to: BookingStatus;
    actor: ActorRef;
    reason?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(statusHistory).values({
    bookingId: entry.bookingId,
    fromStatus: entry.from,
    toStatus: entry.to,
    actorRole: entry.actor.role,
    actorId: entry.actor.id ?? null,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
  });
}
