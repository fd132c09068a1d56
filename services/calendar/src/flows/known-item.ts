/**
 * The item a feed token or calendar link is for: calendar's own copy, or, for an item created
 * before calendar consumed item events (and not booked since), availability's answer, kept.
 */
import { NotFound } from '@midas/contracts';
import { readItem, upsertItem, type ItemRow } from '../db/items';
import type { FlowContext } from './context';

export async function knownItem(
  ctx: FlowContext,
  itemId: string,
  opts: { needType?: boolean } = {},
): Promise<ItemRow> {
  const copy = await readItem(ctx.db, itemId);
  // A copy made from blackout events alone may lack the type; availability knows it.
  if (copy && (copy.type || !opts.needType)) return copy;
  const fetched = await ctx.fetchItem?.(itemId);
  if (!fetched) throw new NotFound('Item');
  const row = { id: fetched.id, type: fetched.type, name: fetched.name, timezone: fetched.timezone };
  await upsertItem(ctx.db, row);
  ctx.logger.info({ itemId }, 'item copied from availability on first use');
  return row;
}
