/** What the availability service announces, written to its outbox in the transaction of the change it describes. */
import { enqueueEvent } from '@midas/messaging';
import type { Tx } from '@midas/db';
import type { Allocation } from '../../db/allocations';
import type { ItemRow } from '../../db/schema';
import { itemSnapshotOf } from '../../flows/item-view';

export const SCHEMA = 'availability';

function holdData(a: Allocation) {
  return {
    holdId: a.id,
    itemId: a.itemId,
    start: a.period.start.toISOString(),
    end: a.period.end.toISOString(),
    ...(a.ref ? { ref: a.ref } : {}),
  };
}

export async function enqueueHoldCreated(tx: Tx, a: Allocation): Promise<void> {
  await enqueueEvent(tx, SCHEMA, {
    type: 'hold.created',
    data: { ...holdData(a), expiresAt: (a.expiresAt ?? a.period.start).toISOString() },
  });
}

/** Called only by whoever flipped the row inactive, so each hold's expiry is announced once. */
export async function enqueueHoldEnded(
  tx: Tx,
  type: 'hold.expired' | 'hold.released',
  a: Allocation,
): Promise<void> {
  await enqueueEvent(tx, SCHEMA, { type, data: holdData(a) });
}

export async function enqueueBlackoutEvent(
  tx: Tx,
  type: 'blackout.created' | 'blackout.deleted',
  a: Allocation,
  affectedBookingIds: string[] = [],
): Promise<void> {
  await enqueueEvent(tx, SCHEMA, {
    type,
    data: {
      blackoutId: a.id,
      itemId: a.itemId,
      start: a.period.start.toISOString(),
      end: a.period.end.toISOString(),
      reason: a.note ?? '',
      affectedBookingIds,
    },
  });
}

export async function enqueueItemEvent(
  tx: Tx,
  type: 'item.created' | 'item.updated',
  row: ItemRow,
): Promise<void> {
  await enqueueEvent(tx, SCHEMA, { type, data: itemSnapshotOf(row) });
}
