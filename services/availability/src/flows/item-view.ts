/** How an item row is shown to the outside: the public item, and the snapshot other services keep. */
import type { ItemSnapshot } from '@midas/contracts';
import type { ItemRow } from '../db/schema';
import type { ItemRules } from '../domain/reasons';

export function itemSnapshotOf(row: ItemRow): ItemSnapshot {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    location: row.location,
    timezone: row.timezone,
    currency: row.currency,
    rate: { unit: row.rateUnit, amount: row.rateAmount },
    bufferMinutes: row.bufferMinutes,
    minNoticeMinutes: row.minNoticeMinutes,
    active: row.active,
    minDuration: row.minDuration,
    maxDuration: row.maxDuration,
  };
}

export function itemViewOf(row: ItemRow) {
  return {
    ...itemSnapshotOf(row),
    minDuration: row.minDuration,
    maxDuration: row.maxDuration,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ItemView = ReturnType<typeof itemViewOf>;

export function itemRulesOf(row: ItemRow): ItemRules {
  return {
    active: row.active,
    timezone: row.timezone,
    bufferMinutes: row.bufferMinutes,
    minNoticeMinutes: row.minNoticeMinutes,
    minDuration: row.minDuration,
    maxDuration: row.maxDuration,
  };
}
