/**
 * The public routes of the availability service: items, blackouts,
 * availability checks and search, calendars and holds. The service validates with these
 * schemas and the gateway publishes them as OpenAPI.
 */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page, pageFields } from './page';
import { itemSnapshot, itemType } from '../rpc/availability';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
});
const uuid = z.uuid({ message: 'must be a UUID' });
const isoDuration = z
  .string()
  .max(40)
  .regex(
    /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
    'must be an ISO 8601 duration such as PT4H or P1D',
  );
const rate = z.strictObject({
  unit: z.enum(['hour', 'day', 'night']),
  /** Minor units of the item's currency. */
  amount: z.number().int().min(0).max(1_000_000_000_000),
});

const itemFields = {
  type: itemType,
  name: z.string().trim().min(1).max(200),
  location: z.string().trim().min(1).max(100),
  /** IANA time zone, e.g. Europe/Monaco. */
  timezone: z.string().min(1).max(64),
  /** ISO 4217 code, e.g. EUR. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  rate,
  /** Turnaround after every booking; defaults by type (car 120, yacht 240, jet 360, property 720). */
  bufferMinutes: z.number().int().min(0).max(10_080),
  minNoticeMinutes: z.number().int().min(0).max(525_600),
  /** Shortest bookable stay, ISO 8601, counted in the item's time zone. */
  minDuration: isoDuration,
  maxDuration: isoDuration,
  active: z.boolean(),
};

const createItemBody = z.strictObject({
  type: itemFields.type,
  name: itemFields.name,
  location: itemFields.location,
  timezone: itemFields.timezone,
  currency: itemFields.currency,
  rate: itemFields.rate,
  bufferMinutes: itemFields.bufferMinutes.optional(),
  minNoticeMinutes: itemFields.minNoticeMinutes.optional(),
  minDuration: itemFields.minDuration.optional(),
  maxDuration: itemFields.maxDuration.optional(),
  active: itemFields.active.optional(),
});

const updateItemBody = createItemBody
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' });

const item = itemSnapshot.extend({
  minDuration: z.string(),
  maxDuration: z.string(),
  createdAt: instant,
  updatedAt: instant,
});

const itemIdParams = z.object({ id: uuid });

const listItemsQuery = z.object({
  type: itemType.optional(),
  location: z.string().min(1).max(100).optional(),
  /** Staff only; everyone else sees active items. */
  active: z.enum(['true', 'false']).optional(),
  ...pageFields,
});

export const AVAILABILITY_REASON_CODES = [
  'booked',
  'held',
  'blackout',
  'buffer',
  'min_notice',
  'in_past',
  'too_short',
  'too_long',
  'inactive',
] as const;
const reason = z.object({ code: z.enum(AVAILABILITY_REASON_CODES), start: instant, end: instant });
const availabilityAnswer = z.object({ available: z.boolean(), reasons: z.array(reason) });

const checkQuery = z.object({ itemId: uuid, start: instant, end: instant });

const searchBody = z
  .strictObject({
    itemIds: z.array(uuid).min(1).max(500).optional(),
    type: itemType.optional(),
    location: z.string().min(1).max(100).optional(),
    start: instant,
    end: instant,
  })
  .refine((b) => !(b.itemIds && (b.type !== undefined || b.location !== undefined)), {
    message: 'give either itemIds or type/location filters, not both',
    path: ['itemIds'],
  });
const searchAnswer = z.object({
  items: z.array(availabilityAnswer.extend({ itemId: uuid })),
  /** True when the filters matched more than the 500 items answered. */
  truncated: z.boolean(),
});

const calendarQuery = z.object({ from: instant, to: instant });
const calendarEntry = z.object({
  kind: z.enum(['booking', 'hold', 'blackout', 'buffer']),
  start: instant,
  end: instant,
  /** Staff only. */
  allocationId: uuid.optional(),
  ref: z.string().optional(),
  reason: z.string().optional(),
  expiresAt: instant.optional(),
});
const calendar = z.object({ itemId: uuid, from: instant, to: instant, entries: z.array(calendarEntry) });

const createBlackoutBody = z.strictObject({
  start: instant,
  end: instant,
  reason: z.string().trim().min(1).max(500),
  /** Admin only: create it even over confirmed bookings, which are then flagged to staff. */
  force: z.boolean().optional(),
});
const blackout = z.object({
  id: uuid,
  itemId: uuid,
  start: instant,
  end: instant,
  reason: z.string(),
  affectedBookingIds: z.array(z.string()),
});
const blackoutParams = z.object({ id: uuid, bid: uuid });

const createHoldBody = z.strictObject({ itemId: uuid, start: instant, end: instant });
const hold = z.object({
  id: uuid,
  itemId: uuid,
  start: instant,
  end: instant,
  expiresAt: instant,
  /** Given to guests only: present it as `?holdToken=` (or the Hold-Token header) to release the hold. */
  holdToken: z.string().optional(),
});
const holdParams = z.object({ id: uuid });
const releaseHoldQuery = z.object({ holdToken: z.string().min(1).max(200).optional() });

export const availabilitySchemas = {
  item,
  createItemBody,
  updateItemBody,
  itemIdParams,
  listItemsQuery,
  reason,
  availabilityAnswer,
  checkQuery,
  searchBody,
  searchAnswer,
  calendarQuery,
  calendarEntry,
  calendar,
  createBlackoutBody,
  blackout,
  blackoutParams,
  createHoldBody,
  hold,
  holdParams,
  releaseHoldQuery,
};

const tag = 'availability';
export const availabilityApi = defineRoutes({
  createItem: {
    method: 'post',
    path: '/v1/items',
    summary: 'Create a rentable item',
    tag,
    access: access.roles(['admin']),
    body: createItemBody,
    responses: { 201: { description: 'Created', schema: item } },
  },
  updateItem: {
    method: 'patch',
    path: '/v1/items/:id',
    summary: 'Change an item',
    tag,
    access: access.roles(['admin']),
    params: itemIdParams,
    body: updateItemBody,
    responses: { 200: { description: 'The changed item', schema: item } },
  },
  listItems: {
    method: 'get',
    path: '/v1/items',
    summary: 'List items',
    tag,
    access: access.anyone('anyone (inactive items: staff only)'),
    query: listItemsQuery,
    responses: {
      200: {
        description: 'A page of items',
        schema: page(item),
      },
    },
  },
  getItem: {
    method: 'get',
    path: '/v1/items/:id',
    summary: 'Read an item',
    tag,
    access: access.anyone('anyone (inactive items: staff only)'),
    params: itemIdParams,
    responses: { 200: { description: 'The item', schema: item } },
  },
  createBlackout: {
    method: 'post',
    path: '/v1/items/:id/blackouts',
    summary: 'Block an item for maintenance or unavailability',
    tag,
    access: access.roles(['admin', 'concierge'], 'admin, concierge (force: admin only)'),
    params: itemIdParams,
    body: createBlackoutBody,
    responses: {
      201: { description: 'Created', schema: blackout },
      409: { description: 'Overlaps a booking, a hold or another blackout' },
    },
  },
  deleteBlackout: {
    method: 'delete',
    path: '/v1/items/:id/blackouts/:bid',
    summary: 'Remove a blackout',
    tag,
    access: access.roles(['admin', 'concierge']),
    params: blackoutParams,
    responses: { 204: { description: 'Removed' } },
  },
  checkAvailability: {
    method: 'get',
    path: '/v1/availability',
    summary: 'Is this item free for this period, and if not, why',
    tag,
    access: access.anyone(),
    query: checkQuery,
    responses: { 200: { description: 'The answer with its reasons', schema: availabilityAnswer } },
  },
  searchAvailability: {
    method: 'post',
    path: '/v1/availability/search',
    summary: 'Availability of up to 500 items for one period',
    tag,
    access: access.anyone(),
    body: searchBody,
    responses: { 200: { description: 'One answer per item', schema: searchAnswer } },
  },
  itemCalendar: {
    method: 'get',
    path: '/v1/items/:id/calendar',
    summary: "An item's bookings, holds, blackouts and buffers in a window",
    tag,
    access: access.anyone('anyone (guests and customers see anonymous busy blocks)'),
    params: itemIdParams,
    query: calendarQuery,
    responses: { 200: { description: 'The calendar', schema: calendar } },
  },
  createHold: {
    method: 'post',
    path: '/v1/holds',
    summary: 'Hold a slot for HOLD_TTL_SECONDS (Idempotency-Key honoured)',
    tag,
    access: access.anyone(),
    body: createHoldBody,
    responses: {
      201: { description: 'Held', schema: hold },
      409: { description: 'The slot is taken, or the Idempotency-Key was used with another body' },
      422: { description: 'The slot breaks a rule of the item (notice, duration)' },
    },
  },
  releaseHold: {
    method: 'delete',
    path: '/v1/holds/:id',
    summary: 'Release a hold',
    tag,
    access: access.anyone('its holder (guests present the holdToken)'),
    params: holdParams,
    query: releaseHoldQuery,
    responses: { 204: { description: 'Released' } },
  },
});
