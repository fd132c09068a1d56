/** HTTP routes of the calendar service: parse with the contract's schemas, authorise, call a flow, map. */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { calendarApi as api } from '@midas/contracts';
import { decodeCursor, encodeCursor, mount } from '@midas/http';
import type { EntryRow } from '../db/entries';
import type { FeedRow } from '../db/ical-feeds';
import { addFeed } from '../flows/add-feed';
import type { FlowContext } from '../flows/context';
import { listFeeds } from '../flows/list-feeds';
import { queueFeedFetch } from '../flows/queue-feed-fetch';
import { removeFeed } from '../flows/remove-feed';
import { createFeedToken } from '../flows/create-feed-token';
import { queueBulkSync } from '../flows/queue-bulk-sync';
import { readFeed } from '../flows/read-feed';
import { readStatus } from '../flows/read-status';
import { receiveNotification } from '../flows/receive-notification';
import { removeLink } from '../flows/remove-link';
import { setLink } from '../flows/set-link';

const cursorSchema = z.object({ seq: z.number().int().min(0) });
const feedCursorSchema = z.object({ id: z.uuid() });

function feedHealthJson(f: FeedRow) {
  return {
    id: f.id,
    itemId: f.itemId,
    name: f.name,
    lastFetchAt: f.lastFetchAt?.toISOString() ?? null,
    lastSuccessAt: f.lastSuccessAt?.toISOString() ?? null,
    lastError: f.lastError,
    lastErrorAt: f.lastErrorAt?.toISOString() ?? null,
    failingSince: f.failingSince?.toISOString() ?? null,
    consecutiveFailures: f.consecutiveFailures,
    eventsSeen: f.eventsSeen,
    blocking: f.blocking,
    nextFetchAt: f.nextFetchAt.toISOString(),
  };
}

function feedJson(f: FeedRow) {
  return {
    ...feedHealthJson(f),
    url: f.url,
    intervalSeconds: f.intervalSeconds,
    createdAt: f.createdAt.toISOString(),
  };
}

function entryJson(e: EntryRow) {
  return {
    kind: e.kind,
    id: e.ref,
    itemId: e.itemId,
    itemType: e.itemType,
    start: e.start.toISOString(),
    end: e.end.toISOString(),
    status: e.status,
    syncState: e.syncState,
    calendarId: e.calendarId,
    googleEventId: e.googleEventId,
    syncAttempts: e.syncAttempts,
    syncError: e.syncError,
    syncedAt: e.syncedAt?.toISOString() ?? null,
  };
}

/** The feed's public address as the caller reached us (through the gateway, its forwarded host). */
function feedUrl(req: Request, itemId: string, token: string): string {
  const host = req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost';
  const proto = req.get('x-forwarded-proto') ?? req.protocol;
  return `${proto}://${host}/v1/calendar/feeds/${itemId}.ics?token=${token}`;
}

export function calendarRoutes(ctx: FlowContext) {
  return (router: Router) => {
    feedRoutes(router, ctx);
    googleLinkRoutes(router, ctx);
    importedFeedRoutes(router, ctx);
    syncRoutes(router, ctx);
  };
}

/** The exported iCalendar feed of an item and its token. */
function feedRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.getFeed, async ({ params: { itemId }, query: { token } }, req, res) => {
    const feed = await readFeed(ctx, itemId, token);
    res.set('ETag', feed.etag);
    res.set('Cache-Control', 'private, max-age=0, must-revalidate');
    const match = req.get('if-none-match');
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === feed.etag)) {
      res.status(304).end();
      return;
    }
    res.type('text/calendar; charset=utf-8').send(feed.body);
  });

  mount(router, api.createFeedToken, async ({ params: { itemId } }, req, res) => {
    const token = await createFeedToken(ctx, itemId);
    res.status(201).json({ itemId, token, url: feedUrl(req, itemId, token) });
  });
}

/** The Google calendar an item is linked to, and the sync status. */
function googleLinkRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.setLink, async ({ params: { itemId }, body: { calendarId } }, _req, res) => {
    const link = await setLink(ctx, itemId, calendarId);
    res.json({
      ...link,
      watch: link.watch
        ? { channelId: link.watch.channelId, expiresAt: link.watch.expiresAt?.toISOString() ?? null }
        : null,
    });
  });

  mount(router, api.deleteLink, async ({ params: { itemId } }, _req, res) => {
    await removeLink(ctx, itemId);
    res.status(204).end();
  });

  mount(router, api.getStatus, async ({ query: q }, _req, res) => {
    const after = decodeCursor(cursorSchema, q.cursor);
    const status = await readStatus(ctx, {
      state: q.state,
      itemId: q.itemId,
      afterSeq: after?.seq,
      limit: q.limit,
    });
    res.json({
      sync: status.sync,
      counts: status.counts,
      links: status.links,
      items: status.items.map(entryJson),
      nextCursor: status.nextSeq === null ? null : encodeCursor({ seq: status.nextSeq }),
      feeds: { ...status.feeds, items: status.feeds.items.map(feedHealthJson) },
    });
  });
}

/** Outside iCalendar feeds imported as blackouts. */
function importedFeedRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.addImportedFeed, async ({ params: { id }, body }, _req, res) => {
    const feed = await addFeed(ctx, id, body);
    res.status(201).json(feedJson(feed));
  });

  mount(router, api.listImportedFeeds, async ({ params: { id }, query: q }, _req, res) => {
    const after = decodeCursor(feedCursorSchema, q.cursor);
    const page = await listFeeds(ctx, id, { afterId: after?.id, limit: q.limit });
    res.json({
      items: page.items.map(feedJson),
      nextCursor: page.nextId === null ? null : encodeCursor({ id: page.nextId }),
    });
  });

  mount(router, api.fetchImportedFeed, async ({ params: { id, feedId } }, _req, res) => {
    await queueFeedFetch(ctx, id, feedId);
    res.status(202).json({ queued: true });
  });

  mount(router, api.removeImportedFeed, async ({ params: { id, feedId } }, _req, res) => {
    await removeFeed(ctx, id, feedId);
    res.status(204).end();
  });
}

/** Sync requests and Google's push notifications. */
function syncRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.sync, async ({ body }, _req, res) => {
    const queued = await queueBulkSync(ctx, {
      itemId: body.itemId,
      bookingId: body.bookingId,
      itemType: body.itemType,
      from: body.from ? new Date(body.from) : undefined,
      to: body.to ? new Date(body.to) : undefined,
    });
    res.status(202).json({ queued, sync: ctx.sync });
  });

  mount(router, api.googleNotification, async ({ headers: h }, _req, res) => {
    await receiveNotification(ctx, {
      channelId: h['x-goog-channel-id'],
      token: h['x-goog-channel-token'],
      state: h['x-goog-resource-state'],
      messageNumber: h['x-goog-message-number'],
    });
    res.status(200).end();
  });
}
