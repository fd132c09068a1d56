/** The query fields and the response of a cursor-paged list, the same on every list route. */
import { z } from 'zod';

/** `limit` (1 to 200, 50 by default) and the opaque `cursor` a previous page handed out. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

/** A page of `item`s; `nextCursor` is null on the last one. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A list that always fits one page, in the same shape. */
export const wholeList = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.null() });
