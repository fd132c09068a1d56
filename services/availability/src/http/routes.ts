/** HTTP routes of the availability service: parse with the contract's schemas, authorise, call a flow, map. */
import { createHash } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { availabilityApi, availabilitySchemas as s, ValidationFailed } from '@midas/contracts';
import { decodeCursor, encodeCursor, fields, isAdmin, isStaff, parseInput, requireRole } from '@midas/http';
import type { Allocation } from '../db/allocations';
import type { CalendarEntry } from '../domain/calendar';
import type { Reason } from '../domain/reasons';
import type { StaffActor } from '../domain/staff-scope';
import type { FlowContext } from '../flows/context';
import { checkAvailability } from '../flows/check-availability';
import { createBlackout } from '../flows/create-blackout';
import { createItem } from '../flows/create-item';
import { deleteBlackout } from '../flows/delete-blackout';
import { itemViewOf } from '../flows/item-view';
import { placeHold } from '../flows/place-hold';
import { readCalendar } from '../flows/read-calendar';
import { getItem, listItemPage } from '../flows/read-items';
import { readPeriod } from '../flows/read-period';
import { releaseHold } from '../flows/release-hold';
import { searchAvailability } from '../flows/search-availability';
import { parseSearchBody } from './search-body';
import { searchAnswerJson } from './search-json';
import { updateItem } from '../flows/update-item';

const api = availabilityApi;
const cursorSchema = z.object({ name: z.string().max(500), id: z.uuid() });
const localeFields = z.object({ timezone: fields.timezone.optional(), currency: fields.currency.optional() });
const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-200 visible ASCII characters');

/** A `+` in an unencoded query string arrives as a space; give offsets like +02:00 back their sign. */
function queryInstants<T extends Record<string, unknown>>(query: T, names: string[]): T {
  const out: Record<string, unknown> = { ...query };
  for (const name of names) {
    const v = out[name];
    if (typeof v === 'string') out[name] = v.replace(/ (\d{2}:?\d{2})$/, '+$1');
  }
  return out as T;
}

function reasonsJson(reasons: Reason[]) {
  return reasons.map((r) => ({ code: r.code, start: r.start.toISOString(), end: r.end.toISOString() }));
}

function entryJson(e: CalendarEntry) {
  return {
    ...e,
    start: e.start.toISOString(),
    end: e.end.toISOString(),
    ...(e.expiresAt ? { expiresAt: e.expiresAt.toISOString() } : {}),
  };
}

function blackoutJson(b: Allocation, affectedBookingIds: string[] = []) {
  return {
    id: b.id,
    itemId: b.itemId,
    start: b.period.start.toISOString(),
    end: b.period.end.toISOString(),
    reason: b.note ?? '',
    affectedBookingIds,
  };
}

function viewer(req: Request) {
  return { staff: isStaff(req.principal) };
}

function staffActor(req: Request): StaffActor {
  const p = req.principal;
  return { admin: isAdmin(p), concierge: p.role === 'concierge', location: p.location };
}

function readIdempotencyKey(req: Request): string | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const parsed = idempotencyKey.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationFailed('Invalid header: Idempotency-Key', [
      { field: 'Idempotency-Key', message: parsed.error.issues[0]?.message ?? 'is invalid', in: 'header' },
    ]);
  }
  return parsed.data;
}

export function httpRoutes(ctx: FlowContext) {
  return (router: Router) => {
    router.post(api.createItem.path, requireRole('admin'), async (req, res) => {
      const body = parseInput(s.createItemBody, req.body, 'body');
      parseInput(localeFields, { timezone: body.timezone, currency: body.currency }, 'body');
      const row = await createItem(ctx, body);
      res.status(201).location(`/v1/items/${row.id}`).json(itemViewOf(row));
    });

    router.patch(api.updateItem.path, requireRole('admin'), async (req, res) => {
      const { id } = parseInput(s.itemIdParams, req.params, 'params');
      const body = parseInput(s.updateItemBody, req.body, 'body');
      parseInput(localeFields, { timezone: body.timezone, currency: body.currency }, 'body');
      res.json(itemViewOf(await updateItem(ctx, id, body)));
    });

    router.get(api.listItems.path, async (req, res) => {
      const q = parseInput(s.listItemsQuery, req.query, 'query');
      const page = await listItemPage(
        ctx,
        {
          type: q.type,
          location: q.location,
          active: q.active === undefined ? undefined : q.active === 'true',
          limit: q.limit,
          after: decodeCursor(cursorSchema, q.cursor),
        },
        viewer(req),
      );
      res.json({ items: page.items.map(itemViewOf), nextCursor: page.next ? encodeCursor(page.next) : null });
    });

    router.get(api.getItem.path, async (req, res) => {
      const { id } = parseInput(s.itemIdParams, req.params, 'params');
      res.json(itemViewOf(await getItem(ctx, id, viewer(req))));
    });

    router.post(api.createBlackout.path, requireRole('admin', 'concierge'), async (req, res) => {
      const { id } = parseInput(s.itemIdParams, req.params, 'params');
      const body = parseInput(s.createBlackoutBody, req.body, 'body');
      const p = req.principal;
      const created = await createBlackout(ctx, {
        itemId: id,
        period: readPeriod(body.start, body.end),
        reason: body.reason,
        force: body.force ?? false,
        actor: { ...staffActor(req), sub: p.sub },
      });
      res
        .status(201)
        .location(`/v1/items/${id}/blackouts/${created.blackout.id}`)
        .json(blackoutJson(created.blackout, created.affectedBookingIds));
    });

    router.delete(api.deleteBlackout.path, requireRole('admin', 'concierge'), async (req, res) => {
      const { id, bid } = parseInput(s.blackoutParams, req.params, 'params');
      await deleteBlackout(ctx, id, bid, staffActor(req));
      res.status(204).end();
    });

    router.get(api.checkAvailability.path, async (req, res) => {
      const q = parseInput(s.checkQuery, queryInstants(req.query, ['start', 'end']), 'query');
      const wanted = readPeriod(q.start, q.end, { start: 'start', end: 'end', where: 'query' });
      const answer = await checkAvailability(ctx, q.itemId, wanted, viewer(req));
      res.json({ available: answer.available, reasons: reasonsJson(answer.reasons) });
    });

    router.post(api.searchAvailability.path, async (req, res) => {
      const body = parseSearchBody(req.body);
      const wanted = readPeriod(body.start, body.end);
      const query = body.itemIds ? { itemIds: body.itemIds } : { type: body.type, location: body.location };
      const found = await searchAvailability(ctx, query, wanted, viewer(req));
      // Written straight out: res.json would stringify generically and hash the 70 kB for an ETag
      // no client of a POST revalidates with.
      res.status(200).type('application/json').end(searchAnswerJson(found));
    });

    router.get(api.itemCalendar.path, async (req, res) => {
      const { id } = parseInput(s.itemIdParams, req.params, 'params');
      const q = parseInput(s.calendarQuery, queryInstants(req.query, ['from', 'to']), 'query');
      const window = readPeriod(q.from, q.to, { start: 'from', end: 'to', where: 'query' });
      const entries = await readCalendar(ctx, id, window, { ...viewer(req), actor: staffActor(req) });
      res.json({
        itemId: id,
        from: window.start.toISOString(),
        to: window.end.toISOString(),
        entries: entries.map(entryJson),
      });
    });

    router.post(api.createHold.path, async (req, res) => {
      const key = readIdempotencyKey(req);
      const body = parseInput(s.createHoldBody, req.body, 'body');
      const period = readPeriod(body.start, body.end);
      const sub = req.principal.sub;
      const requestHash = createHash('sha256')
        .update(JSON.stringify([body.itemId, period.start.toISOString(), period.end.toISOString()]))
        .digest('hex');
      const placed = await placeHold(ctx, {
        itemId: body.itemId,
        period,
        holderSub: sub,
        holderIp: sub ? undefined : req.ip,
        idempotency: key
          ? { scope: sub ? `sub:${sub}` : `ip:${req.ip ?? 'unknown'}`, key, requestHash }
          : undefined,
      });
      res.status(placed.status).location(`/v1/holds/${placed.body.id}`).json(placed.body);
    });

    router.delete(api.releaseHold.path, async (req, res) => {
      const { id } = parseInput(s.holdParams, req.params, 'params');
      const q = parseInput(s.releaseHoldQuery, req.query, 'query');
      const header = req.headers['hold-token'];
      const holdToken = q.holdToken ?? (typeof header === 'string' ? header : undefined);
      await releaseHold(ctx, id, { sub: req.principal.sub, holdToken, admin: isAdmin(req.principal) });
      res.status(204).end();
    });
  };
}
