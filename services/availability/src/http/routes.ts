/** HTTP routes of the availability service: parse with the contract's schemas, authorise, call a flow, map. */
import type { Router } from 'express';
import { z } from 'zod';
import { availabilityApi } from '@midas/contracts';
import {
  checkLocale,
  decodeCursor,
  encodeCursor,
  idempotencyScope,
  isAdmin,
  isStaff,
  mount,
  readIdempotencyKey,
  type Principal,
} from '@midas/http';
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

/** A `+` in an unencoded query string arrives as a space; give offsets like +02:00 back their sign. */
function queryInstants(names: string[]) {
  return (query: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...query };
    for (const name of names) {
      const v = out[name];
      if (typeof v === 'string') out[name] = v.replace(/ (\d{2}:?\d{2})$/, '+$1');
    }
    return out;
  };
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

function viewer(principal: Principal) {
  return { staff: isStaff(principal) };
}

function staffActor(p: Principal): StaffActor {
  return { admin: isAdmin(p), concierge: p.role === 'concierge', location: p.location };
}

export function httpRoutes(ctx: FlowContext) {
  return (router: Router) => {
    itemRoutes(router, ctx);
    blackoutRoutes(router, ctx);
    availabilityRoutes(router, ctx);
    holdRoutes(router, ctx);
  };
}

/** The item catalogue. */
function itemRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.createItem, async ({ body }, _req, res) => {
    checkLocale(body);
    const row = await createItem(ctx, body);
    res.status(201).location(`/v1/items/${row.id}`).json(itemViewOf(row));
  });

  mount(router, api.updateItem, async ({ params, body }, _req, res) => {
    checkLocale(body);
    res.json(itemViewOf(await updateItem(ctx, params.id, body)));
  });

  mount(router, api.listItems, async ({ query: q, principal }, _req, res) => {
    const page = await listItemPage(
      ctx,
      {
        type: q.type,
        location: q.location,
        active: q.active === undefined ? undefined : q.active === 'true',
        limit: q.limit,
        after: decodeCursor(cursorSchema, q.cursor),
      },
      viewer(principal),
    );
    res.json({ items: page.items.map(itemViewOf), nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  mount(router, api.getItem, async ({ params, principal }, _req, res) => {
    res.json(itemViewOf(await getItem(ctx, params.id, viewer(principal))));
  });
}

/** Blackouts staff put on an item. */
function blackoutRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.createBlackout, async ({ params: { id }, body, principal: p }, _req, res) => {
    const created = await createBlackout(ctx, {
      itemId: id,
      period: readPeriod(body.start, body.end),
      reason: body.reason,
      force: body.force ?? false,
      actor: { ...staffActor(p), sub: p.sub },
    });
    res
      .status(201)
      .location(`/v1/items/${id}/blackouts/${created.blackout.id}`)
      .json(blackoutJson(created.blackout, created.affectedBookingIds));
  });

  mount(router, api.deleteBlackout, async ({ params: { id, bid }, principal: p }, _req, res) => {
    await deleteBlackout(ctx, id, bid, staffActor(p));
    res.status(204).end();
  });
}

/** Availability: one item, a search, and an item's calendar. */
function availabilityRoutes(router: Router, ctx: FlowContext): void {
  mount(
    router,
    api.checkAvailability,
    async ({ query: q, principal }, _req, res) => {
      const wanted = readPeriod(q.start, q.end, { start: 'start', end: 'end', where: 'query' });
      const answer = await checkAvailability(ctx, q.itemId, wanted, viewer(principal));
      res.json({ available: answer.available, reasons: reasonsJson(answer.reasons) });
    },
    { prepareQuery: queryInstants(['start', 'end']) },
  );

  mount(
    router,
    api.searchAvailability,
    async ({ body, principal }, _req, res) => {
      const wanted = readPeriod(body.start, body.end);
      const query = body.itemIds ? { itemIds: body.itemIds } : { type: body.type, location: body.location };
      const found = await searchAvailability(ctx, query, wanted, viewer(principal));
      // Written straight out: res.json would stringify generically and hash the 70 kB for an ETag
      // no client of a POST revalidates with.
      res.status(200).type('application/json').end(searchAnswerJson(found));
    },
    { parseBody: parseSearchBody },
  );

  mount(
    router,
    api.itemCalendar,
    async ({ params: { id }, query: q, principal }, _req, res) => {
      const window = readPeriod(q.from, q.to, { start: 'from', end: 'to', where: 'query' });
      const entries = await readCalendar(ctx, id, window, {
        ...viewer(principal),
        actor: staffActor(principal),
      });
      res.json({
        itemId: id,
        from: window.start.toISOString(),
        to: window.end.toISOString(),
        entries: entries.map(entryJson),
      });
    },
    { prepareQuery: queryInstants(['from', 'to']) },
  );
}

/** Holds on a slot while a booking is made. */
function holdRoutes(router: Router, ctx: FlowContext): void {
  mount(router, api.createHold, async ({ body, principal }, req, res) => {
    const key = readIdempotencyKey(req);
    const period = readPeriod(body.start, body.end);
    const placed = await placeHold(ctx, {
      itemId: body.itemId,
      period,
      holderSub: principal.sub,
      holderIp: principal.sub ? undefined : req.ip,
      idempotency: key
        ? {
            scope: idempotencyScope('create-hold', req),
            key,
            request: { itemId: body.itemId, start: period.start, end: period.end },
          }
        : undefined,
    });
    res.status(placed.status).location(`/v1/holds/${placed.body.id}`).json(placed.body);
  });

  mount(router, api.releaseHold, async ({ params: { id }, query: q, principal }, req, res) => {
    const header = req.headers['hold-token'];
    const holdToken = q.holdToken ?? (typeof header === 'string' ? header : undefined);
    await releaseHold(ctx, id, { sub: principal.sub, holdToken, admin: isAdmin(principal) });
    res.status(204).end();
  });
}
