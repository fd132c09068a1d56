/** An admin adds a rentable item; unsaid rules take the defaults of its type. */
import type { ItemType } from '@midas/contracts';
import { insertItem } from '../db/items';
import { enqueueItemEvent } from '../events/publish/outbox';
import type { ItemRow } from '../db/schema';
import { DEFAULT_BUFFER_MINUTES, DEFAULT_DURATION_LIMITS } from '../domain/item-defaults';
import type { FlowContext } from './context';
import { assertDurationLimits } from './item-rules-input';

export interface CreateItemInput {
  type: ItemType;
  name: string;
  location: string;
  timezone: string;
  currency: string;
  rate: { unit: 'hour' | 'day' | 'night'; amount: number };
  bufferMinutes?: number;
  minNoticeMinutes?: number;
  minDuration?: string;
  maxDuration?: string;
  active?: boolean;
}

export async function createItem(ctx: FlowContext, input: CreateItemInput): Promise<ItemRow> {
  const limits = DEFAULT_DURATION_LIMITS[input.type];
  const minDuration = input.minDuration ?? limits.minDuration;
  const maxDuration = input.maxDuration ?? limits.maxDuration;
  assertDurationLimits(minDuration, maxDuration);
  return ctx.db.transaction(async (tx) => {
    const row = await insertItem(tx, {
      type: input.type,
      name: input.name,
      location: input.location,
      timezone: input.timezone,
      currency: input.currency,
      rateUnit: input.rate.unit,
      rateAmount: input.rate.amount,
      bufferMinutes: input.bufferMinutes ?? DEFAULT_BUFFER_MINUTES[input.type],
      minNoticeMinutes: input.minNoticeMinutes ?? 0,
      minDuration,
      maxDuration,
      active: input.active ?? true,
    });
    await enqueueItemEvent(tx, 'item.created', row);
    return row;
  });
}
