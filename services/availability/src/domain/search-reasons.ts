/**
 * The reasons of `explainAvailability`, worked out for many items at once on epoch milliseconds:
 * a search asks one question of up to 500 items, most of which share their rules, so the rule
 * reasons are computed once per distinct rule set and the conflicts with plain number compares.
 * Property tests prove every answer equal to `explainAvailability`'s.
 */
import { ruleReasons, type AllocationKind, type ItemRules, type ReasonCode } from './reasons';

export interface ReasonMs {
  code: ReasonCode;
  start: number;
  end: number;
}

/** A live-or-lapsed allocation row in epoch ms; its blocked interval starts where its period does. */
export interface OccupationMs {
  kind: AllocationKind;
  start: number;
  end: number;
  blockedEnd: number;
  /** Holds only: when the hold lapses. */
  expiresAt: number | null;
}

export interface AnswerMs {
  available: boolean;
  reasons: ReasonMs[];
}

const MINUTE_MS = 60_000;
const NONE: ReasonMs[] = [];

const KIND_REASON: Record<AllocationKind, ReasonCode> = {
  booking: 'booked',
  hold: 'held',
  blackout: 'blackout',
};

function byStartThenCode(a: ReasonMs, b: ReasonMs): number {
  if (a.start !== b.start) return a.start - b.start;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** `conflictReasons` on numbers. */
export function conflictReasonsMs(
  wantedStart: number,
  wantedEnd: number,
  bufferMinutes: number,
  occupations: readonly OccupationMs[],
  now: number,
): ReasonMs[] {
  const blockedEnd = wantedEnd + bufferMinutes * MINUTE_MS;
  const reasons: ReasonMs[] = [];
  for (const o of occupations) {
    // A lapsed hold frees its slot at once, whether or not anything has deactivated its row yet.
    if (o.kind === 'hold' && o.expiresAt !== null && o.expiresAt <= now) continue;
    if (!(wantedStart < o.blockedEnd && o.start < blockedEnd)) continue;
    if (wantedStart < o.end && o.start < wantedEnd) {
      reasons.push({ code: KIND_REASON[o.kind], start: o.start, end: o.end });
    } else if (wantedStart < o.blockedEnd && o.start < wantedEnd) {
      reasons.push({ code: 'buffer', start: o.end, end: o.blockedEnd });
    } else {
      reasons.push({ code: 'buffer', start: wantedEnd, end: blockedEnd });
    }
  }
  if (reasons.length > 1) reasons.sort(byStartThenCode);
  return reasons;
}

/** The fields rule reasons depend on (not the buffer, which only conflicts use). */
function sameRules(a: ItemRules, b: ItemRules): boolean {
  return (
    a.active === b.active &&
    a.minNoticeMinutes === b.minNoticeMinutes &&
    a.minDuration === b.minDuration &&
    a.maxDuration === b.maxDuration &&
    a.timezone === b.timezone
  );
}

/**
 * Explains one wanted period for many items: `explain(rules, occupations)` equals
 * `explainAvailability(rules, wanted, occupations, now)` with instants as epoch ms.
 */
export function searchExplainer(
  wantedStart: number,
  wantedEnd: number,
  now: number,
): (rules: ItemRules, occupations: readonly OccupationMs[]) => AnswerMs {
  const wanted = { start: new Date(wantedStart), end: new Date(wantedEnd) };
  const nowDate = new Date(now);
  const byRules = new Map<string, ReasonMs[]>();
  // Most items share their rules, so the previous item's usually answer without building a key.
  let last: ItemRules | undefined;
  let lastReasons: ReasonMs[] = [];
  const rulesOf = (rules: ItemRules): ReasonMs[] => {
    if (last && sameRules(last, rules)) return lastReasons;
    const key = `${rules.active ? 1 : 0}|${rules.minNoticeMinutes}|${rules.minDuration}|${rules.maxDuration}|${rules.timezone}`;
    let known = byRules.get(key);
    if (!known) {
      known = ruleReasons(rules, wanted, nowDate).map((r) => ({
        code: r.code,
        start: r.start.getTime(),
        end: r.end.getTime(),
      }));
      byRules.set(key, known);
    }
    last = rules;
    lastReasons = known;
    return known;
  };
  return (rules, occupations) => {
    const fromRules = rulesOf(rules);
    const conflicts = occupations.length
      ? conflictReasonsMs(wantedStart, wantedEnd, rules.bufferMinutes, occupations, now)
      : NONE;
    // Without conflicts the items of one rule set share its reasons array (read, never changed),
    // which lets the answer's writer convert it once.
    const reasons =
      conflicts.length === 0 ? fromRules : fromRules.length ? [...fromRules, ...conflicts] : conflicts;
    return { available: reasons.length === 0, reasons };
  };
}
