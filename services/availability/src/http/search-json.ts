/**
 * The search answer's JSON, written by a serializer compiled from the contract's `searchAnswer`
 * schema: up to 500 answers per response, where a generic JSON.stringify (and the ETag hash
 * express would add over it) cost more than working the answers out.
 */
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { availabilitySchemas as s } from '@midas/contracts';
import type { SearchAnswer } from '../flows/search-availability';
import type { ReasonMs } from '../domain/search-reasons';

// The serializer reads only types and properties; the JSON Schema dialect marker is ajv's concern.
const { $schema: _dialect, ...answerSchema } = z.toJSONSchema(s.searchAnswer, { target: 'draft-7' });
const writeAnswer = fastJson(answerSchema as Parameters<typeof fastJson>[0]) as (doc: unknown) => string;

/** The answer as the contract's JSON; instants become RFC 3339 UTC strings, each converted once. */
export function searchAnswerJson(answer: SearchAnswer): string {
  const iso = new Map<number, string>();
  const isoOf = (ms: number) => {
    let text = iso.get(ms);
    if (text === undefined) {
      text = new Date(ms).toISOString();
      iso.set(ms, text);
    }
    return text;
  };
  // Items of one rule set without conflicts share one reasons array: converted once.
  const converted = new Map<ReasonMs[], { code: string; start: string; end: string }[]>();
  const reasonsOf = (reasons: ReasonMs[]) => {
    let out = converted.get(reasons);
    if (!out) {
      out = reasons.map((r) => ({ code: r.code, start: isoOf(r.start), end: isoOf(r.end) }));
      converted.set(reasons, out);
    }
    return out;
  };
  return writeAnswer({
    items: answer.items.map((i) => ({
      itemId: i.itemId,
      available: i.available,
      reasons: reasonsOf(i.reasons),
    })),
    truncated: answer.truncated,
  });
}
