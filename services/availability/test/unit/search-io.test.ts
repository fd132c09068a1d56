import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { availabilitySchemas as s } from '@midas/contracts';
import { parseInput } from '@midas/http';
import { parseSearchBody } from '../../src/http/search-body';
import { searchAnswerJson } from '../../src/http/search-json';
import type { SearchAnswer } from '../../src/flows/search-availability';

function outcome(parse: () => unknown): unknown {
  try {
    return { ok: parse() };
  } catch (err) {
    const e = err as { status?: number; message?: string; errors?: unknown };
    return { status: e.status, message: e.message, errors: e.errors };
  }
}

const id = fc.oneof(
  { weight: 8, arbitrary: fc.uuid() },
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  fc.constantFrom(
    'not-a-uuid',
    '',
    '12345678-1234-1234-1234-1234567890123',
    'zzzzzzzz-1234-4234-8234-123456789012',
  ),
  fc.uuid().map((u) => `${u} `),
  fc.integer(),
  fc.constant(null),
);
const instant = fc.constantFrom(
  '2027-06-01T10:00:00Z',
  '2027-06-01T10:00:00.000+02:00',
  'tomorrow',
  '2027-02-30T10:00:00Z',
  '2027-06-01T10:00:00',
);
const body = fc.oneof(
  fc.record(
    {
      itemIds: fc.oneof(
        fc.array(id, { minLength: 0, maxLength: 3 }),
        fc.array(fc.uuid(), { minLength: 498, maxLength: 502 }),
        fc.constant('x'),
      ),
      type: fc.constantFrom('car', 'boat'),
      location: fc.constantFrom('Monaco', ''),
      start: instant,
      end: instant,
      extra: fc.constant(1),
    },
    { requiredKeys: ['start'] },
  ),
  fc.constantFrom(null, [], 'text', 42),
);

describe('reading a search body', () => {
  it('accepts, refuses and names bad fields exactly as the contract schema does', () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(outcome(() => parseSearchBody(b))).toEqual(outcome(() => parseInput(s.searchBody, b, 'body')));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps all 500 ids of a valid body', () => {
    const itemIds = Array.from({ length: 500 }, () => randomUUID());
    const parsed = parseSearchBody({ itemIds, start: '2027-06-01T10:00:00Z', end: '2027-06-01T12:00:00Z' });
    expect(parsed.itemIds).toEqual(itemIds);
  });
});

describe('writing a search answer', () => {
  it('writes the same JSON as JSON.stringify of the contract shape', () => {
    const reason = fc.record({
      code: fc.constantFrom('booked', 'held', 'buffer', 'min_notice', 'too_long'),
      start: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      end: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    });
    const answer = fc.record({
      items: fc.array(
        fc.record({
          itemId: fc.uuid(),
          available: fc.boolean(),
          reasons: fc.array(reason, { maxLength: 4 }),
        }),
        { maxLength: 20 },
      ),
      truncated: fc.boolean(),
    });
    fc.assert(
      fc.property(answer, (a) => {
        const expected = {
          items: a.items.map((i) => ({
            itemId: i.itemId,
            available: i.available,
            reasons: i.reasons.map((r) => ({
              code: r.code,
              start: new Date(r.start).toISOString(),
              end: new Date(r.end).toISOString(),
            })),
          })),
          truncated: a.truncated,
        };
        const json = searchAnswerJson(a as SearchAnswer);
        expect(JSON.parse(json)).toEqual(expected);
        expect(s.searchAnswer.safeParse(JSON.parse(json)).success).toBe(true);
      }),
    );
  });
});
