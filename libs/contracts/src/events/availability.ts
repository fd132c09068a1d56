/** Events published by the availability service. */
import { z } from 'zod';
import { itemSnapshot } from '../rpc/availability';

const instant = z.iso.datetime({ offset: true });
const holdData = z.object({
  holdId: z.uuid(),
  itemId: z.uuid(),
  start: instant,
  end: instant,
  ref: z.string().optional(),
});
const blackoutData = z.object({
  blackoutId: z.uuid(),
  itemId: z.uuid(),
  start: instant,
  end: instant,
  reason: z.string(),
  /** Bookings an admin overrode with force: true; staff must act on them. */
  affectedBookingIds: z.array(z.string()).default([]),
});

export const availabilityEvents = {
  'hold.created': holdData.extend({ expiresAt: instant }),
  'hold.expired': holdData,
  'hold.released': holdData,
  'blackout.created': blackoutData,
  'blackout.deleted': blackoutData,
  'item.created': itemSnapshot,
  'item.updated': itemSnapshot,
} as const;
export type AvailabilityEventType = keyof typeof availabilityEvents;
