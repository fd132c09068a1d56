/** Creates (or rotates) the feed token of an item; the previous token stops working. */
import { storeFeedToken } from '../db/feed-tokens';
import type { FlowContext } from './context';
import { hashToken, newToken } from './feed-token';
import { knownItem } from './known-item';

export async function createFeedToken(ctx: FlowContext, itemId: string): Promise<string> {
  await knownItem(ctx, itemId);
  const token = newToken();
  await storeFeedToken(ctx.db, itemId, hashToken(token));
  ctx.logger.info({ itemId }, 'feed token created');
  return token;
}
