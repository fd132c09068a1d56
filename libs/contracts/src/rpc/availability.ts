/** RPC asks answered by the availability service (`midas.rpc`, routing key = method name). */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });
export const ITEM_TYPES = ['car', 'yacht', 'jet', 'property'] as const;
export const itemType = z.enum(ITEM_TYPES);
export type ItemType = z.infer<typeof itemType>;

export const itemSnapshot = z.object({
  id: z.uuid(),
  type: itemType,
  name: z.string(),
  location: z.string(),
  timezone: z.string(),
  currency: z.string(),
  rate: z.object({ unit: z.enum(['hour', 'day', 'night']), amount: z.number().int() }),
  bufferMinutes: z.number().int(),
  minNoticeMinutes: z.number().int(),
  active: z.boolean(),
  /** Shortest and longest bookable stay (ISO 8601 durations in the item's time zone). */
  minDuration: z.string().optional(),
  maxDuration: z.string().optional(),
});
export type ItemSnapshot = z.infer<typeof itemSnapshot>;

/** An item and a period of it, which holds and quotes are asked for. */
export const itemPeriod = z.object({ itemId: z.uuid(), start: instant, end: instant });

export const availabilityRpc = {
  /** Take (or adopt, with holdId) a hold on a slot. Errors: slot_taken (409), not_found, rule codes (422). */
  hold: {
    method: 'availability.hold',
    request: itemPeriod.extend({
      /** Adopt this existing hold instead of creating one; it must match item and range. */
      holdId: z.uuid().optional(),
      /** What the hold is for (a booking id), so later confirm/release/move can find it. */
      ref: z.string().max(100).optional(),
      /** The customer's token subject: a customer's hold is adopted only by the same customer. */
      holderSub: z.string().max(200).optional(),
      /** A guest's proof for adopting their hold: the holdToken they were given. */
      holdToken: z.string().max(200).optional(),
      /** The guest's address as the gateway established it, for the live-hold cap. */
      clientIp: z.string().max(64).optional(),
      /** Older callers' one field for either proof; read as neither, so it can no longer be confused. */
      holder: z.string().max(200).optional(),
      ttlSeconds: z.number().int().positive().optional(),
    }),
    response: z.object({
      holdId: z.uuid(),
      itemId: z.uuid(),
      start: instant,
      end: instant,
      expiresAt: instant,
      /** The held item's snapshot, so the caller need not ask for it (`get_item`) again. */
      item: itemSnapshot.optional(),
    }),
  },
  /** Turn a hold into a booked slot in place; if the hold lapsed, re-take the slot if still free. Errors: slot_taken. */
  confirm: {
    method: 'availability.confirm',
    request: z.object({
      holdId: z.uuid(),
      bookingId: z.string().max(100),
      /**
       * The hold carries a booking's new dates (a paid change): the booking's other booked slot
       * is freed in the same transaction, so the booking never has two slots or none.
       */
      replacing: z.boolean().optional(),
    }),
    response: z.object({ allocationId: z.uuid(), retaken: z.boolean() }),
  },
  /** Free the slot held or booked for a booking (idempotent). */
  release: {
    method: 'availability.release',
    request: z.object({
      holdId: z.uuid().optional(),
      bookingId: z.string().max(100).optional(),
      from: instant.optional(),
    }),
    response: z.object({ released: z.boolean() }),
  },
  /** Move a booking's slot; the old range is kept on conflict (slot_taken). */
  move: {
    method: 'availability.move',
    request: z.object({ bookingId: z.string().max(100), start: instant, end: instant }),
    response: z.object({ start: instant, end: instant }),
  },
  getItem: {
    method: 'availability.get_item',
    request: z.object({ itemId: z.uuid() }),
    response: itemSnapshot,
  },
} as const;
