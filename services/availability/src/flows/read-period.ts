/** Turns a wanted start and end (RFC 3339 strings, already shape-checked) into a period, refusing the impossible. */
import { RuleViolation, ValidationFailed } from '@midas/contracts';
import { MAX_QUERY_DAYS } from '../domain/item-defaults';
import type { Period } from '../domain/period';

export interface PeriodFields {
  start: string;
  end: string;
  where?: 'body' | 'query';
}

export function readPeriod(
  startIso: string,
  endIso: string,
  fields: PeriodFields = { start: 'start', end: 'end' },
): Period {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new ValidationFailed(`Invalid ${fields.where ?? 'body'}: ${fields.start}, ${fields.end}`, [
      { field: fields.start, message: 'must be a real date-time', in: fields.where ?? 'body' },
    ]);
  }
  if (end.getTime() <= start.getTime()) {
    throw new RuleViolation('end_before_start', `${fields.end} must be after ${fields.start}`);
  }
  if (end.getTime() - start.getTime() > MAX_QUERY_DAYS * 86_400_000) {
    throw new ValidationFailed(`Invalid ${fields.where ?? 'body'}: ${fields.end}`, [
      {
        field: fields.end,
        message: `must be within ${MAX_QUERY_DAYS} days of ${fields.start}`,
        in: fields.where ?? 'body',
      },
    ]);
  }
  return { start, end };
}
