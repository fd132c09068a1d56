/** Opaque cursors for `{items, nextCursor}` lists: base64url JSON, validated when read back. */
import { z } from 'zod';
import { ValidationFailed } from '@midas/contracts';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A NUL character cannot reach PostgreSQL in text, and nothing this API hands out contains one. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasNul);
  return false;
}

/**
 * Reads a cursor back; anything but what `encodeCursor` made from a value of `schema` is a 400.
 * Schemas must pin every field to what the query needs (a timestamp, a uuid, a known kind), so
 * a forged cursor can never reach SQL as something the database refuses (a 500).
 */
export function decodeCursor<S extends z.ZodType>(
  schema: S,
  cursor: string | undefined,
): z.output<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const raw: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const parsed = hasNul(raw) ? undefined : schema.safeParse(raw);
    if (parsed?.success) return parsed.data;
  } catch {
    // fall through to the 400 below
  }
  throw new ValidationFailed('Invalid query: cursor', [
    { field: 'cursor', message: 'is not a cursor this API gave out', in: 'query' },
  ]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The page of `rows` read with `limit`, each shown through `view`: a full page may have more after
 * it, so it gets a cursor made by `key` from its last row.
 */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  key: (row: R) => unknown,
): Page<T> {
  const last = rows.length === limit ? rows[rows.length - 1] : undefined;
  return { items: rows.map(view), nextCursor: last === undefined ? null : encodeCursor(key(last)) };
}
