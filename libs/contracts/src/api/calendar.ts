/**
 * The public routes of the calendar service: iCalendar feeds per item, Google Calendar links,
 * sync status and bulk resync for admins, Google's push notifications, and other channels'
 * iCalendar feeds imported per item.
 */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page, pageFields } from './page';
import { itemType } from '../rpc/availability';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
});
const uuid = z.uuid({ message: 'must be a UUID' });

/** Where a booking or blackout stands with Google: nothing to do (no link, or sync off), queued, written, or given up. */
export const calendarSyncState = z.enum(['idle', 'pending', 'synced', 'failed']);
export type CalendarSyncState = z.infer<typeof calendarSyncState>;

const itemParams = z.strictObject({ itemId: uuid });
const feedQuery = z.strictObject({ token: z.string().min(1).max(200) });
const feedToken = z.object({
  itemId: uuid,
  /** Shown once: only its hash is kept. Creating a new one revokes the previous one. */
  token: z.string(),
  url: z.string(),
});

/**
 * A Google calendar id: an address such as `abc123@group.calendar.google.com` or `primary`.
 * Without one, the item goes to its type's calendar ("Midas Cars", "Midas Yachts", "Midas Jets",
 * "Midas Properties"), created on first use.
 */
const linkBody = z.strictObject({
  calendarId: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .regex(/^[\x21-\x7e]+$/, 'must be a Google calendar id such as abc@group.calendar.google.com')
    .optional(),
});
const link = z.object({
  itemId: uuid,
  calendarId: z.string(),
  /** Whether this is the item type's shared calendar (made by Midas) rather than one of its own. */
  shared: z.boolean(),
  /** The push channel Google notifies us on, when sync is on and a notification address is configured. */
  watch: z.object({ channelId: z.string(), expiresAt: instant.nullable() }).nullable(),
  /** Bookings and blackouts of the item queued for writing to the calendar. */
  queued: z.number().int(),
});

const statusQuery = z.strictObject({
  state: calendarSyncState.optional(),
  itemId: uuid.optional(),
  ...pageFields,
});
const syncEntry = z.object({
  kind: z.enum(['booking', 'blackout']),
  /** The booking or blackout id. */
  id: uuid,
  itemId: uuid,
  itemType: z.string().nullable(),
  start: instant,
  end: instant,
  status: z.string(),
  syncState: calendarSyncState,
  calendarId: z.string().nullable(),
  googleEventId: z.string().nullable(),
  syncAttempts: z.number().int(),
  syncError: z.string().nullable(),
  syncedAt: instant.nullable(),
});
/** How an imported feed's fetches have gone. */
const feedHealth = z.object({
  id: uuid,
  itemId: uuid,
  name: z.string(),
  lastFetchAt: instant.nullable(),
  lastSuccessAt: instant.nullable(),
  /** The last failure's reason (kept after a later success, with its time, for the record). */
  lastError: z.string().nullable(),
  lastErrorAt: instant.nullable(),
  /** When the current run of failures began; null while the feed is healthy. */
  failingSince: instant.nullable(),
  consecutiveFailures: z.number().int(),
  /** Events ahead read from the feed at its last successful fetch. */
  eventsSeen: z.number().int(),
  /** Of those, events blocking the item now. */
  blocking: z.number().int(),
  nextFetchAt: instant,
});
const status = z.object({
  sync: z.object({ enabled: z.boolean(), reason: z.string().nullable() }),
  counts: z.record(calendarSyncState, z.number().int()),
  links: z.number().int(),
  items: z.array(syncEntry),
  nextCursor: z.string().nullable(),
  /** Imported iCalendar feeds (of `itemId` when given): counts, and up to 200, failing ones first. */
  feeds: z.object({ total: z.number().int(), failing: z.number().int(), items: z.array(feedHealth) }),
});

const feedItemParams = z.strictObject({ id: uuid });
const feedParams = z.strictObject({ id: uuid, feedId: uuid });
const feedBody = z.strictObject({
  /** The channel's export address (Airbnb, Booking.com, VRBO, another Midas, ...). */
  url: z
    .string()
    .trim()
    .max(2048)
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })),
  name: z.string().trim().min(1).max(100),
  /** How often it is fetched (default 600 s). */
  intervalSeconds: z.number().int().min(60).max(86_400).default(600),
});
const feed = feedHealth.extend({
  url: z.string(),
  intervalSeconds: z.number().int(),
  createdAt: instant,
});
const feedListQuery = z.strictObject({
  ...pageFields,
});
const feedList = page(feed);

const syncBody = z
  .strictObject({
    itemType: itemType.optional(),
    itemId: uuid.optional(),
    /** One booking only. */
    bookingId: uuid.optional(),
    /** Bookings and blackouts that end after `from` and start before `to`. */
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine((b) => !b.from || !b.to || Date.parse(b.from) < Date.parse(b.to), {
    message: 'must be after from',
    path: ['to'],
  });
const syncAccepted = z.object({ queued: z.number().int(), sync: status.shape.sync });

/** The headers Google sends with each push notification. */
const notificationHeaders = z.object({
  'x-goog-channel-id': z.string().min(1).max(200),
  'x-goog-channel-token': z.string().max(256).optional(),
  'x-goog-resource-state': z.enum(['sync', 'exists', 'not_exists']),
  'x-goog-message-number': z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  'x-goog-resource-id': z.string().max(200).optional(),
});

const tag = 'calendar';
export const calendarApi = defineRoutes({
  getFeed: {
    method: 'get',
    path: '/v1/calendar/feeds/:itemId.ics',
    summary: "iCalendar feed of an item's bookings and blackouts (text/calendar; no guest data)",
    tag,
    access: access.anyone('holder of the feed token'),
    params: itemParams,
    query: feedQuery,
    responses: {
      200: { description: 'The feed, text/calendar, with an ETag' },
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    },
  },
  createFeedToken: {
    method: 'post',
    path: '/v1/calendar/feeds/:itemId/token',
    summary: "Create or rotate an item's feed token (the previous one stops working)",
    tag,
    access: access.roles(['admin']),
    params: itemParams,
    responses: { 201: { description: 'The new token and the feed URL', schema: feedToken } },
  },
  setLink: {
    method: 'put',
    path: '/v1/calendar/links/:itemId',
    summary:
      "Link an item to a Google calendar (without calendarId: its type's calendar, made on first use): its bookings and blackouts are written there, and it's watched",
    tag,
    access: access.roles(['admin']),
    params: itemParams,
    body: linkBody,
    responses: { 200: { description: 'The link', schema: link } },
  },
  deleteLink: {
    method: 'delete',
    path: '/v1/calendar/links/:itemId',
    summary:
      "Unlink an item: its push channel is stopped, Midas's events of the item are removed from the calendar, and outside events there no longer block it",
    tag,
    access: access.roles(['admin']),
    params: itemParams,
    responses: {
      204: { description: 'Unlinked' },
      404: { description: 'The item is not linked' },
    },
  },
  getStatus: {
    method: 'get',
    path: '/v1/calendar/status',
    summary:
      'Whether Google sync is on, counts by sync state, the sync state of each booking, and the health of imported feeds',
    tag,
    access: access.roles(['admin']),
    query: statusQuery,
    responses: { 200: { description: 'Sync status and a page of entries', schema: status } },
  },
  sync: {
    method: 'post',
    path: '/v1/calendar/sync',
    summary:
      'Queue a (re)sync to Google of bookings and blackouts by item type, item, date range or one booking',
    tag,
    access: access.roles(['admin']),
    body: syncBody,
    responses: { 202: { description: 'How many sync jobs were queued', schema: syncAccepted } },
  },
  googleNotification: {
    method: 'post',
    path: '/v1/calendar/google/notifications',
    summary: 'Google Calendar push notifications (channel token checked)',
    tag,
    access: access.anyone('Google (channel token)'),
    headers: notificationHeaders,
    responses: { 200: { description: 'Accepted' } },
  },
  addImportedFeed: {
    method: 'post',
    path: '/v1/items/:id/feeds',
    summary:
      "Import another channel's iCalendar feed into an item: fetched at once, then every intervalSeconds; its events become blackouts (reason external)",
    tag,
    access: access.roles(['admin']),
    params: feedItemParams,
    body: feedBody,
    responses: {
      201: { description: 'The feed, queued for its first fetch', schema: feed },
      400: { description: 'Invalid body, or a URL the SSRF guard refuses (not https, private address)' },
      404: { description: 'Unknown item' },
      409: { description: 'The item already imports that URL' },
    },
  },
  listImportedFeeds: {
    method: 'get',
    path: '/v1/items/:id/feeds',
    summary: "An item's imported iCalendar feeds with their fetch state",
    tag,
    access: access.roles(['admin']),
    params: feedItemParams,
    query: feedListQuery,
    responses: { 200: { description: 'A page of feeds', schema: feedList } },
  },
  fetchImportedFeed: {
    method: 'post',
    path: '/v1/items/:id/feeds/:feedId/fetch',
    summary: 'Fetch a feed now, without waiting for its schedule or its backoff after failures',
    tag,
    access: access.roles(['admin']),
    params: feedParams,
    responses: { 202: { description: 'Queued' }, 404: { description: 'Unknown feed of this item' } },
  },
  removeImportedFeed: {
    method: 'delete',
    path: '/v1/items/:id/feeds/:feedId',
    summary: 'Stop importing a feed: the blackouts its events made are removed',
    tag,
    access: access.roles(['admin']),
    params: feedParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown feed of this item' } },
  },
});
