/** The rules a requested stay must meet before it can be priced at all. */
import { RuleViolation } from '@midas/contracts';

/** Longer stays are negotiated, not quoted; it also bounds the work one quote can cause. */
export const MAX_STAY_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * `now` is given for public quotes, which must start in the future; booking re-prices running
 * stays (a changed end date) over RPC, so it omits it.
 */
export function assertPriceableStay(start: Date, end: Date, now?: Date): void {
  if (end.getTime() <= start.getTime()) {
    throw new RuleViolation('end_before_start', 'The end must be after the start');
  }
  if (end.getTime() - start.getTime() > MAX_STAY_DAYS * DAY_MS) {
    throw new RuleViolation('stay_too_long', `A stay can last at most ${MAX_STAY_DAYS} days`);
  }
  if (now && start.getTime() < now.getTime()) {
    throw new RuleViolation('start_in_past', 'The start must not be in the past');
  }
}
