/** Request validation with zod: one place that turns schema issues into 400s naming each bad field. */
import { z } from 'zod';
import { ValidationFailed, type FieldError } from '@midas/contracts';

type Where = NonNullable<FieldError['in']>;

export function issuesToFieldErrors(issues: z.core.$ZodIssue[], where: Where): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ field: base ? `${base}.${key}` : key, message: 'is not a known field', in: where });
      }
      continue;
    }
    errors.push({ field: base || '(root)', message: issue.message, in: where });
  }
  return errors;
}

/** Parses `value` with `schema`; throws ValidationFailed (400) listing every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: Where = 'body',
): z.output<S> {
  const result = schema.safeParse(value === undefined && where === 'body' ? {} : value);
  if (result.success) return result.data;
  const errors = issuesToFieldErrors(result.error.issues, where);
  const names = errors.map((e) => e.field).join(', ');
  throw new ValidationFailed(`Invalid ${where}: ${names}`, errors);
}

/** Common field schemas shared by every service's request schemas. */
export const fields = {
  /** RFC 3339 instant with an explicit offset or Z; becomes a Date in UTC. */
  instant: z.iso
    .datetime({
      offset: true,
      message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
    })
    .transform((s) => new Date(s)),
  uuid: z.uuid({ message: 'must be a UUID' }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .refine((c) => {
      try {
        return Intl.supportedValuesOf('currency').includes(c);
      } catch {
        return false;
      }
    }, 'is not a known ISO 4217 currency'),
  timezone: z.string().refine((tz) => {
    try {
      return Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC';
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Monaco'),
};

const localeFields = z.object({ timezone: fields.timezone.optional(), currency: fields.currency.optional() });

/** Checks a body's time zone and currency against what this runtime knows (400 naming the field). */
export function checkLocale(body: { timezone?: unknown; currency?: unknown }): void {
  parseInput(localeFields, { timezone: body.timezone, currency: body.currency }, 'body');
}
