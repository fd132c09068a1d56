/**
 * Registers another channel's iCalendar feed on an item: the URL must pass the SSRF guard (https,
 * public addresses, unless private ones are allowed), the item must exist, and one item imports a
 * URL once. The feed is fetched at once, then every `intervalSeconds`.
 */
import { randomUUID } from 'node:crypto';
import { Conflict, ValidationFailed } from '@midas/contracts';
import { AddressRefused } from '@midas/http';
import { insertFeed, type FeedRow } from '../db/ical-feeds';
import type { FlowContext } from './context';
import { knownItem } from './known-item';
import { redactedUrl } from './fetch-feed';

export async function addFeed(
  ctx: FlowContext,
  itemId: string,
  input: { url: string; name: string; intervalSeconds: number },
): Promise<FeedRow> {
  try {
    await ctx.feeds.fetcher.check(input.url);
  } catch (err) {
    if (!(err instanceof AddressRefused)) throw err;
    throw new ValidationFailed('Invalid body: url', [{ field: 'url', message: err.message, in: 'body' }]);
  }
  await knownItem(ctx, itemId);
  const feed = await insertFeed(ctx.db, { id: randomUUID(), itemId, ...input });
  if (!feed) throw new Conflict('feed_exists', 'This item already imports that feed');
  await ctx.feeds.queue
    .fetchNow(feed.id)
    .catch((err: unknown) =>
      ctx.logger.warn({ err, feedId: feed.id }, 'could not queue the first fetch; the repair job will'),
    );
  ctx.logger.info({ feedId: feed.id, itemId, url: redactedUrl(feed.url) }, 'feed added');
  return feed;
}
