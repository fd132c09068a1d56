/** What an item gets when its creator leaves a rule unsaid: turnaround buffers and bookable durations by type. */
import type { ItemType } from '@midas/contracts';

/** docs/design.md "Business rules": car 2 h, yacht 4 h, jet 6 h, property 12 h. */
export const DEFAULT_BUFFER_MINUTES: Readonly<Record<ItemType, number>> = {
  car: 120,
  yacht: 240,
  jet: 360,
  property: 720,
};

/**
 * Shortest and longest bookable stay by type, as ISO 8601 durations so that a "day" is a
 * calendar day in the item's time zone (23 or 25 hours across a DST change), not 24 hours.
 */
export const DEFAULT_DURATION_LIMITS: Readonly<
  Record<ItemType, { minDuration: string; maxDuration: string }>
> = {
  car: { minDuration: 'PT1H', maxDuration: 'P30D' },
  yacht: { minDuration: 'PT4H', maxDuration: 'P30D' },
  jet: { minDuration: 'PT1H', maxDuration: 'P14D' },
  property: { minDuration: 'P1D', maxDuration: 'P90D' },
};

/** No query (check, search, calendar) may span more than this; it bounds the work one request can ask for. */
export const MAX_QUERY_DAYS = 366;
