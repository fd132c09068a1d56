/**
 * An item's iCalendar feed for the holder of its token, with an ETag of its content. An unknown
 * item and a wrong token get the same answer, so a token cannot be used to probe for items.
 */
import { createHash } from 'node:crypto';
import { NotFound } from '@midas/contracts';
import { renderFeed } from '../domain/feed';
import { listItemEntries } from '../db/entries';
import { readFeedTokenHash } from '../db/feed-tokens';
import { readItem } from '../db/items';
import type { FlowContext } from './context';
import { tokenMatches } from './feed-token';

export async function readFeed(
  ctx: FlowContext,
  itemId: string,
  token: string,
): Promise<{ body: string; etag: string }> {
  const hash = await readFeedTokenHash(ctx.db, itemId);
  if (!tokenMatches(token, hash)) throw new NotFound('Feed', 'No feed for this item and token');
  const [item, entries] = await Promise.all([readItem(ctx.db, itemId), listItemEntries(ctx.db, itemId)]);
  // An item calendar has not heard of yet still has its zone on its entries.
  const timezone = item?.timezone ?? entries[0]?.timezone ?? 'UTC';
  const body = renderFeed({ itemId, name: item?.name ?? null, timezone }, entries);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag };
}
