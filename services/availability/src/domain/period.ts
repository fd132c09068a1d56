/** Half-open time intervals [start, end), the shape of every slot, hold, booking and blackout. */

export interface Period {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;

export function overlaps(a: Period, b: Period): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** The interval an occupation blocks: its period followed by the item's turnaround buffer. */
export function withBuffer(p: Period, bufferMinutes: number): Period {
  return { start: p.start, end: new Date(p.end.getTime() + bufferMinutes * MINUTE_MS) };
}

export function isEmpty(p: Period): boolean {
  return p.end.getTime() <= p.start.getTime();
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * MINUTE_MS);
}
