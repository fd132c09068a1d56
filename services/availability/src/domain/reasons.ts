/**
 * Why a slot is not available, in words a client can act on. These are explanations only:
 * the exclusion constraint on allocations is what actually prevents double booking, and
 * `conflictReasons` is proven (by property tests) to agree with it.
 */
import type { AVAILABILITY_REASON_CODES } from '@midas/contracts';
import { judgeDuration, allowedEnds, type DurationLimits } from './duration-limits';
import { addMinutes, overlaps, withBuffer, type Period } from './period';

export type ReasonCode = (typeof AVAILABILITY_REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  start: Date;
  end: Date;
}

export type AllocationKind = 'hold' | 'booking' | 'blackout';

/** An active row of allocations as the rules see it. */
export interface Occupation {
  kind: AllocationKind;
  period: Period;
  /** `period` extended by the buffer the item had when the row was written. */
  blocked: Period;
  /** Holds only: when the hold lapses. */
  expiresAt?: Date | null;
}

export interface ItemRules extends DurationLimits {
  active: boolean;
  timezone: string;
  bufferMinutes: number;
  minNoticeMinutes: number;
}

const KIND_REASON: Record<AllocationKind, ReasonCode> = {
  booking: 'booked',
  hold: 'held',
  blackout: 'blackout',
};

/** A lapsed hold frees its slot at once, whether or not anything has deactivated its row yet. */
export function isLive(o: Occupation, now: Date): boolean {
  return o.kind !== 'hold' || !o.expiresAt || o.expiresAt.getTime() > now.getTime();
}

/** Reasons that come from the item's own rules, independent of other bookings. */
export function ruleReasons(item: ItemRules, wanted: Period, now: Date): Reason[] {
  const reasons: Reason[] = [];
  if (!item.active) reasons.push({ code: 'inactive', start: wanted.start, end: wanted.end });
  if (wanted.start.getTime() < now.getTime()) {
    reasons.push({ code: 'in_past', start: wanted.start, end: now });
  } else {
    const earliestStart = addMinutes(now, item.minNoticeMinutes);
    if (wanted.start.getTime() < earliestStart.getTime()) {
      reasons.push({ code: 'min_notice', start: now, end: earliestStart });
    }
  }
  const verdict = judgeDuration(wanted, item.timezone, item);
  if (verdict !== 'ok') {
    const { earliest, latest } = allowedEnds(wanted.start, item.timezone, item);
    reasons.push(
      verdict === 'too_short'
        ? { code: 'too_short', start: wanted.start, end: earliest }
        : { code: 'too_long', start: latest, end: wanted.end },
    );
  }
  return reasons;
}

/**
 * One reason per live occupation that the wanted slot (followed by its buffer) would collide
 * with: `booked`/`held`/`blackout` when the periods themselves overlap, otherwise `buffer`
 * (naming the buffer interval that collides).
 */
export function conflictReasons(
  wanted: Period,
  bufferMinutes: number,
  occupations: Occupation[],
  now: Date,
): Reason[] {
  const blocked = withBuffer(wanted, bufferMinutes);
  const reasons: Reason[] = [];
  for (const o of occupations) {
    if (!isLive(o, now) || !overlaps(blocked, o.blocked)) continue;
    if (overlaps(wanted, o.period)) {
      reasons.push({ code: KIND_REASON[o.kind], start: o.period.start, end: o.period.end });
    } else if (overlaps(wanted, o.blocked)) {
      // The wanted slot starts inside the turnaround after this occupation.
      reasons.push({ code: 'buffer', start: o.period.end, end: o.blocked.end });
    } else {
      // The wanted slot's own turnaround runs into this occupation.
      reasons.push({ code: 'buffer', start: wanted.end, end: blocked.end });
    }
  }
  return reasons.sort((a, b) => a.start.getTime() - b.start.getTime() || a.code.localeCompare(b.code));
}

/** Everything standing between a caller and the slot; empty means available. */
export function explainAvailability(
  item: ItemRules,
  wanted: Period,
  occupations: Occupation[],
  now: Date,
): { available: boolean; reasons: Reason[] } {
  const reasons = [
    ...ruleReasons(item, wanted, now),
    ...conflictReasons(wanted, item.bufferMinutes, occupations, now),
  ];
  return { available: reasons.length === 0, reasons };
}
