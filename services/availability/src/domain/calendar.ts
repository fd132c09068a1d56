/** The calendar of one item: what occupies it, and the turnaround buffers that follow. */
import type { AllocationKind, Occupation } from './reasons';
import { isLive } from './reasons';

export interface CalendarRow extends Occupation {
  id: string;
  ref: string | null;
  reason: string | null;
}

export interface CalendarEntry {
  kind: 'booking' | 'hold' | 'blackout' | 'buffer';
  start: Date;
  end: Date;
  /** Staff only: which allocation, booking and note the block comes from. */
  allocationId?: string;
  ref?: string;
  reason?: string;
  expiresAt?: Date;
}

/**
 * Entries sorted by start; with `detailed` false (guests, customers) they are anonymous busy
 * blocks carrying only kind and times.
 */
export function calendarEntries(rows: CalendarRow[], now: Date, detailed: boolean): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const row of rows) {
    if (!isLive(row, now)) continue;
    const kind: AllocationKind = row.kind;
    const main: CalendarEntry = { kind, start: row.period.start, end: row.period.end };
    if (detailed) {
      main.allocationId = row.id;
      if (row.ref) main.ref = row.ref;
      if (row.reason) main.reason = row.reason;
      if (row.expiresAt) main.expiresAt = row.expiresAt;
    }
    entries.push(main);
    if (row.blocked.end.getTime() > row.period.end.getTime()) {
      const buffer: CalendarEntry = { kind: 'buffer', start: row.period.end, end: row.blocked.end };
      if (detailed) buffer.allocationId = row.id;
      entries.push(buffer);
    }
  }
  return entries.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
}
