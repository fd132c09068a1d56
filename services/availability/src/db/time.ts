/** Reading PostgreSQL timestamps that arrive as text (drizzle's raw queries) into Dates, with pg's own parser. */
import pg from 'pg';

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (value: string) => Date;

export function toDate(value: string | Date): Date {
  return value instanceof Date ? value : parseTimestamptz(value);
}

export function toDateOrNull(value: string | Date | null | undefined): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
