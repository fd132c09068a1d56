/**
 * The read side of availability: an item's rules and whatever blocks a wanted period, for one
 * item or up to 500 in a single statement. Plain prepared statements on the pool: these are the
 * hottest queries of the platform.
 */
import type { Pool } from 'pg';
import type { ItemType } from '@midas/contracts';
import type { ItemRules, Occupation, AllocationKind } from '../domain/reasons';
import type { OccupationMs } from '../domain/search-reasons';
import type { Period } from '../domain/period';

export interface ItemOccupations {
  itemId: string;
  rules: ItemRules;
  occupations: Occupation[];
}

/** Instants travel as epoch milliseconds: parsing a float is far cheaper than parsing timestamptz text. */
const ms = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`;
/** Whole epoch milliseconds, as a JavaScript Date would hold the instant. */
const msExact = (expr: string) => `trunc(extract(epoch FROM ${expr}) * 1000)::float8`;

/** Item columns, then the blocking row (if any) per output row; lapsed holds never count. */
const SELECT = `
  SELECT i.id, i.timezone, i.buffer_minutes, i.min_notice_minutes, i.min_duration, i.max_duration, i.active,
         a.kind, ${ms('lower(a.period)')} AS period_start, ${ms('upper(a.period)')} AS period_end,
         ${ms('upper(a.blocked)')} AS blocked_end, ${ms('a.expires_at')} AS expires_at`;
const JOIN = `
  LEFT JOIN availability.allocations a
    ON a.item_id = i.id AND a.active
   AND a.blocked && tstzrange($2::timestamptz, $3::timestamptz + make_interval(mins => i.buffer_minutes))
   AND (a.kind <> 'hold' OR a.expires_at > $4::timestamptz)`;

export const CHECK_SQL = `${SELECT}
  FROM availability.items i ${JOIN}
  WHERE i.id = $1`;

/**
 * The search's statements: the whole answer in one row, one JSON array per item
 * (`[id, timezone, bufferMinutes, minNoticeMinutes, minDuration, maxDuration, active, occupations]`)
 * with its blocking rows aggregated into a JSON array of `[kind, start, end, blockedEnd, expiresAt]`
 * in epoch ms. One row and one JSON.parse cost the service far less than 500 rows of eight fields
 * through the driver's per-row and per-field parsing, and PostgreSQL builds the JSON for about
 * what it spends sending the columns. The ids arrive as one `uuid[]` parameter joined through
 * `unnest`, so the generic plan PostgreSQL settles on for the prepared statement is the same index
 * nested loop as a custom plan for 500 literal ids (bench/availability/README.md records the
 * EXPLAIN). pgbench runs this very text.
 */
const SEARCH_ITEM = `json_build_array(i.id, i.timezone, i.buffer_minutes, i.min_notice_minutes,
                                      i.min_duration, i.max_duration, i.active, o.occupations)`;
const SEARCH_OCCUPATIONS = `
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_array(a.kind, ${msExact('lower(a.period)')}, ${msExact('upper(a.period)')},
                                     ${msExact('upper(a.blocked)')}, ${msExact('a.expires_at')})) AS occupations
      FROM availability.allocations a
     WHERE a.item_id = i.id AND a.active
       AND a.blocked && tstzrange($2::timestamptz, $3::timestamptz + make_interval(mins => i.buffer_minutes))
       AND (a.kind <> 'hold' OR a.expires_at > $4::timestamptz)
  ) o ON true`;

export const SEARCH_BY_IDS_SQL = `
  SELECT json_agg(${SEARCH_ITEM} ORDER BY i.id) AS items
  FROM unnest($1::uuid[]) AS wanted(id)
  JOIN availability.items i ON i.id = wanted.id ${SEARCH_OCCUPATIONS}`;

const SEARCH_BY_FILTER_SQL = `
  SELECT json_agg(${SEARCH_ITEM} ORDER BY i.name, i.id) AS items
  FROM (SELECT * FROM availability.items
        WHERE active AND ($5::text IS NULL OR type = $5) AND ($1::text IS NULL OR location = $1)
        ORDER BY name, id
        LIMIT $6) i ${SEARCH_OCCUPATIONS}`;

interface Row {
  id: string;
  timezone: string;
  buffer_minutes: number;
  min_notice_minutes: number;
  min_duration: string;
  max_duration: string;
  active: boolean;
  kind: AllocationKind | null;
  period_start: number | null;
  period_end: number | null;
  blocked_end: number | null;
  expires_at: number | null;
}

function group(rows: Row[]): ItemOccupations[] {
  const out: ItemOccupations[] = [];
  let current: ItemOccupations | undefined;
  for (const r of rows) {
    if (current?.itemId !== r.id) {
      current = {
        itemId: r.id,
        rules: {
          active: r.active,
          timezone: r.timezone,
          bufferMinutes: r.buffer_minutes,
          minNoticeMinutes: r.min_notice_minutes,
          minDuration: r.min_duration,
          maxDuration: r.max_duration,
        },
        occupations: [],
      };
      out.push(current);
    }
    if (r.kind && r.period_start !== null && r.period_end !== null && r.blocked_end !== null) {
      const start = new Date(r.period_start);
      current.occupations.push({
        kind: r.kind,
        period: { start, end: new Date(r.period_end) },
        blocked: { start, end: new Date(r.blocked_end) },
        expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
      });
    }
  }
  return out;
}

export async function occupationsOf(
  pool: Pool,
  itemId: string,
  wanted: Period,
  now: Date,
): Promise<ItemOccupations | undefined> {
  const result = await pool.query<Row>({
    name: 'availability-check',
    text: CHECK_SQL,
    values: [itemId, wanted.start, wanted.end, now],
  });
  return group(result.rows)[0];
}

/** One item of a search: its rules and the rows that may block the wanted period, in epoch ms. */
export interface SearchRow {
  itemId: string;
  rules: ItemRules;
  occupations: OccupationMs[];
}

type SearchItem = [
  id: string,
  timezone: string,
  bufferMinutes: number,
  minNoticeMinutes: number,
  minDuration: string,
  maxDuration: string,
  active: boolean,
  occupations: [AllocationKind, number, number, number, number | null][] | null,
];

function searchRows(result: { rows: { items: SearchItem[] | null }[] }): SearchRow[] {
  const items = result.rows[0]?.items ?? [];
  const out: SearchRow[] = new Array<SearchRow>(items.length);
  for (let n = 0; n < items.length; n++) {
    const [itemId, timezone, bufferMinutes, minNoticeMinutes, minDuration, maxDuration, active, occ] =
      items[n]!;
    const occupations: OccupationMs[] = [];
    if (occ) {
      for (const [kind, start, end, blockedEnd, expiresAt] of occ) {
        occupations.push({ kind, start, end, blockedEnd, expiresAt });
      }
    }
    out[n] = {
      itemId,
      rules: { active, timezone, bufferMinutes, minNoticeMinutes, minDuration, maxDuration },
      occupations,
    };
  }
  return out;
}

/**
 * The ids as PostgreSQL's array literal, written once: they are checked UUIDs, which need no
 * quoting, where the driver would escape each element of a JavaScript array.
 */
function uuidArray(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

export async function occupationsOfItems(
  pool: Pool,
  itemIds: string[],
  wanted: Period,
  now: Date,
): Promise<SearchRow[]> {
  const result = await pool.query<{ items: SearchItem[] | null }>({
    name: 'availability-search-ids',
    text: SEARCH_BY_IDS_SQL,
    values: [uuidArray(itemIds), wanted.start, wanted.end, now],
  });
  return searchRows(result);
}

/** Active items matching the filters, at most `limit`, in name order. */
export async function occupationsByFilter(
  pool: Pool,
  filter: { type?: ItemType; location?: string },
  wanted: Period,
  now: Date,
  limit: number,
): Promise<SearchRow[]> {
  const result = await pool.query<{ items: SearchItem[] | null }>({
    name: 'availability-search-filter',
    text: SEARCH_BY_FILTER_SQL,
    values: [filter.location ?? null, wanted.start, wanted.end, now, filter.type ?? null, limit],
  });
  return searchRows(result);
}
