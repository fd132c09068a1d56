/** Reading items: one by id, or a page of them; inactive items are for staff eyes only. */
import { NotFound, type ItemType } from '@midas/contracts';
import { findItem, listItems } from '../db/items';
import type { ItemRow } from '../db/schema';
import type { FlowContext } from './context';

export async function getItem(ctx: FlowContext, id: string, viewer: { staff: boolean }): Promise<ItemRow> {
  const row = await findItem(ctx.db, id);
  if (!row || (!row.active && !viewer.staff)) throw new NotFound('item');
  return row;
}

export interface ItemPageQuery {
  type?: ItemType;
  location?: string;
  active?: boolean;
  limit: number;
  after?: { name: string; id: string };
}

export async function listItemPage(
  ctx: FlowContext,
  q: ItemPageQuery,
  viewer: { staff: boolean },
): Promise<{ items: ItemRow[]; next?: { name: string; id: string } }> {
  const active = viewer.staff ? q.active : true;
  const rows = await listItems(ctx.db, {
    type: q.type,
    location: q.location,
    active,
    after: q.after,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > q.limit && last ? { name: last.name, id: last.id } : undefined };
}
