/** Creates (or rotates) the feed token of an item calendar knows of; the previous token stops working. */
import { NotFound } from '@midas/contracts';
import { storeFeedToken } from '../db/feed-tokens';
import { readItem } from '../db/items';
import type { CalendarContext } from './context';
import { hashToken, newToken } from './feed-token';

export async function createFeedToken(ctx: CalendarContext, itemId: string): Promise<string> {
  const item = await readItem(ctx.db, itemId);
  if (!item) throw new NotFound('Item');
  const token = newToken();
  await storeFeedToken(ctx.db, itemId, hashToken(token));
  ctx.logger.info({ itemId }, 'feed token created');
  return token;
}
