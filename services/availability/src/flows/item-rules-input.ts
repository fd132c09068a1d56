/** Checks the bookable-duration limits an admin gives an item, naming the bad field. */
import { ValidationFailed, type FieldError } from '@midas/contracts';
import { limitsAreOrdered, parseLimit, MAX_LIMIT_DAYS } from '../domain/duration-limits';

export function assertDurationLimits(minDuration: string, maxDuration: string): void {
  const errors: FieldError[] = [];
  const message = `must be a positive ISO 8601 duration of at most ${MAX_LIMIT_DAYS} days`;
  if (!parseLimit(minDuration)) errors.push({ field: 'minDuration', message, in: 'body' });
  if (!parseLimit(maxDuration)) errors.push({ field: 'maxDuration', message, in: 'body' });
  if (errors.length === 0 && !limitsAreOrdered({ minDuration, maxDuration })) {
    errors.push({ field: 'maxDuration', message: 'must not be shorter than minDuration', in: 'body' });
  }
  if (errors.length)
    throw new ValidationFailed(`Invalid body: ${errors.map((e) => e.field).join(', ')}`, errors);
}
