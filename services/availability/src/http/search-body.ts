/**
 * Reads a search body with the contract's schema, cheaply for the common case: 500 ids checked
 * one by one through zod cost more than the rest of the request's parsing, so a body whose ids
 * all match zod's own UUID pattern is checked with one id standing in for them all. Anything
 * else goes through the full schema, so every 400 is the one the schema gives.
 */
import { z } from 'zod';
import { availabilitySchemas as s } from '@midas/contracts';
import { parseInput } from '@midas/http';
import { MAX_SEARCH_ITEMS } from '../flows/search-availability';

export type SearchBody = z.output<typeof s.searchBody>;

/** The pattern `z.uuid()` itself tests each id with. */
const UUID = z.core.regexes.uuid();
const MAX_IDS = MAX_SEARCH_ITEMS;

function plainIds(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const ids = (body as { itemIds?: unknown }).itemIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_IDS) return undefined;
  for (const id of ids) if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  return ids as string[];
}

export function parseSearchBody(body: unknown): SearchBody {
  const ids = plainIds(body);
  if (ids) {
    const rest = s.searchBody.safeParse({ ...(body as object), itemIds: [ids[0]] });
    if (rest.success) return { ...rest.data, itemIds: ids };
  }
  return parseInput(s.searchBody, body, 'body');
}
