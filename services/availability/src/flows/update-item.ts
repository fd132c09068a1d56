/**
 * An admin changes an item. Rows already in allocations keep the buffer they were written
 * with; the new rules apply to holds, bookings and moves from now on.
 */
import { NotFound } from '@midas/contracts';
import { findItem, updateItem as writeItem, type ItemChanges } from '../db/items';
import type { ItemRow } from '../db/schema';
import { enqueueItemEvent } from '../events/publish/outbox';
import type { FlowContext } from './context';
import type { CreateItemInput } from './create-item';
import { assertDurationLimits } from './item-rules-input';

export async function updateItem(
  ctx: FlowContext,
  id: string,
  input: Partial<CreateItemInput>,
): Promise<ItemRow> {
  return ctx.db.transaction(async (tx) => {
    const current = await findItem(tx, id, { forUpdate: true });
    if (!current) throw new NotFound('item');
    const changes: ItemChanges = {};
    if (input.type !== undefined) changes.type = input.type;
    if (input.name !== undefined) changes.name = input.name;
    if (input.location !== undefined) changes.location = input.location;
    if (input.timezone !== undefined) changes.timezone = input.timezone;
    if (input.currency !== undefined) changes.currency = input.currency;
    if (input.rate !== undefined) {
      changes.rateUnit = input.rate.unit;
      changes.rateAmount = input.rate.amount;
    }
    if (input.bufferMinutes !== undefined) changes.bufferMinutes = input.bufferMinutes;
    if (input.minNoticeMinutes !== undefined) changes.minNoticeMinutes = input.minNoticeMinutes;
    if (input.minDuration !== undefined) changes.minDuration = input.minDuration;
    if (input.maxDuration !== undefined) changes.maxDuration = input.maxDuration;
    if (input.active !== undefined) changes.active = input.active;
    assertDurationLimits(
      changes.minDuration ?? current.minDuration,
      changes.maxDuration ?? current.maxDuration,
    );
    const row = (await writeItem(tx, id, changes))!;
    await enqueueItemEvent(tx, 'item.updated', row);
    return row;
  });
}
