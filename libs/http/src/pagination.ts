/** Opaque cursors for `{items, nextCursor}` lists: base64url JSON, validated when read back. */
import { z } from 'zod';
import { ValidationFailed } from '@midas/contracts';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(
  schema: S,
  cursor: string | undefined,
): z.output<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
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
