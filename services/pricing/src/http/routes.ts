/** HTTP routes of the pricing service: public quotes, and the super_admin management of pricing rules. */
import type { Router } from 'express';
import { z } from 'zod';
import { pricingApi } from '@midas/contracts';
import { decodeCursor, mount, pageOf, type Principal } from '@midas/http';
import type { Actor } from '../db/audit';
import { listAudit } from '../db/audit';
import { listAddOns } from '../db/add-ons';
import { listLocationAdjustments } from '../db/location-adjustments';
import { rateCardFor } from '../db/rate-cards';
import { listRefundPolicies } from '../db/refund-policies';
import { listSeasons } from '../db/seasons';
import { listTaxes } from '../db/taxes';
import { tierMultipliers } from '../db/tiers';
import { quoteForCaller } from '../flows/quote-for-caller';
import { getQuote } from '../flows/get-quote';
import { createSeason } from '../flows/create-season';
import { changeSeason } from '../flows/change-season';
import { removeSeason } from '../flows/remove-season';
import { setTierMultiplier } from '../flows/set-tier-multiplier';
import { createAddOn } from '../flows/create-add-on';
import { changeAddOn } from '../flows/change-add-on';
import { removeAddOn } from '../flows/remove-add-on';
import { setTax } from '../flows/set-tax';
import { removeTax } from '../flows/remove-tax';
import { setLocationAdjustment } from '../flows/set-location-adjustment';
import { removeLocationAdjustment } from '../flows/remove-location-adjustment';
import { setRefundPolicy } from '../flows/set-refund-policy';
import { setRateCard, type RateCardChange } from '../flows/set-rate-card';
import type { FlowContext } from '../flows/context';
import {
  addOnView,
  auditView,
  fromMultiplier,
  fromPercent,
  locationAdjustmentView,
  rateCardView,
  refundPolicyView,
  seasonView,
  taxView,
  toMultiplier,
} from './views';

const api = pricingApi;
/** Cursors of lists ordered by a uuid id: anything but a uuid would reach SQL as a 500. */
const idCursor = z.strictObject({ after: z.uuid() });
/** Taxes are ordered by location name. */
const locationCursor = z.strictObject({ after: z.string().min(1).max(200) });
const numericCursor = z.strictObject({ before: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

function actorOf(principal: Principal): Actor {
  return { sub: principal.sub ?? 'unknown', role: principal.role };
}

type RemovalRoute = (typeof api)['deleteSeason' | 'deleteAddOn' | 'deleteLocationAdjustment'];

/** DELETE of a rule known by its id: the flow audits the removal (404 when there is none), the answer is empty. */
function mountRemoval(
  router: Router,
  route: RemovalRoute,
  remove: (deps: FlowContext, actor: Actor, id: string) => Promise<void>,
  deps: FlowContext,
): void {
  mount(router, route, async ({ params: { id }, principal }, _req, res) => {
    await remove(deps, actorOf(principal), id);
    res.status(204).end();
  });
}

export function pricingRoutes(deps: FlowContext) {
  return (router: Router) => {
    quoteRoutes(router, deps);
    seasonRoutes(router, deps);
    tierRoutes(router, deps);
    addOnRoutes(router, deps);
    taxRoutes(router, deps);
    refundPolicyRoutes(router, deps);
    rateCardRoutes(router, deps);
    auditRoutes(router, deps);
  };
}

/** Quotes: priced stays and reading one back. */
function quoteRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.createQuote, async ({ body, principal }, _req, res) => {
    res.status(200).json(await quoteForCaller(deps, principal, body));
  });

  mount(router, api.getQuote, async ({ params: { id } }, _req, res) => {
    res.json(await getQuote(deps, id));
  });
}

/** Seasons and their multipliers. */
function seasonRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listSeasons, async ({ query: q }, _req, res) => {
    const after = decodeCursor(idCursor, q.cursor)?.after;
    const rows = await listSeasons(deps.db, { location: q.location, afterId: after, limit: q.limit });
    res.json(pageOf(rows, q.limit, seasonView, (r) => ({ after: r.id })));
  });

  mount(router, api.createSeason, async ({ body, principal }, _req, res) => {
    const { multiplier, ...rest } = body;
    const row = await createSeason(deps, actorOf(principal), {
      ...rest,
      multiplierBps: fromMultiplier(multiplier),
    });
    res.status(201).json(seasonView(row));
  });

  mount(router, api.updateSeason, async ({ params: { id }, body, principal }, _req, res) => {
    const { multiplier, ...rest } = body;
    const row = await changeSeason(deps, actorOf(principal), id, {
      ...rest,
      ...(multiplier === undefined ? {} : { multiplierBps: fromMultiplier(multiplier) }),
    });
    res.json(seasonView(row));
  });

  mountRemoval(router, api.deleteSeason, removeSeason, deps);
}

/** Customer tiers and their multipliers. */
function tierRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listTiers, async (_input, _req, res) => {
    const tiers = await tierMultipliers(deps.db);
    res.json({
      items: Object.entries(tiers).map(([code, bps]) => ({ code, multiplier: toMultiplier(bps) })),
      nextCursor: null,
    });
  });

  mount(router, api.setTier, async ({ params: { code }, body, principal }, _req, res) => {
    const { multiplier } = body;
    const bps = await setTierMultiplier(deps, actorOf(principal), code, fromMultiplier(multiplier));
    res.json({ code, multiplier: toMultiplier(bps) });
  });
}

/** Add-ons offered with items. */
function addOnRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listAddOns, async ({ query: q }, _req, res) => {
    const after = decodeCursor(idCursor, q.cursor)?.after;
    const rows = await listAddOns(deps.db, {
      itemType: q.itemType,
      location: q.location,
      afterId: after,
      limit: q.limit,
    });
    res.json(pageOf(rows, q.limit, addOnView, (r) => ({ after: r.id })));
  });

  mount(router, api.createAddOn, async ({ body, principal }, _req, res) => {
    const row = await createAddOn(deps, actorOf(principal), { ...body, location: body.location ?? null });
    res.status(201).json(addOnView(row));
  });

  mount(router, api.updateAddOn, async ({ params, body: parsed, principal }, req, res) => {
    // The patch schema keeps the create schema's defaults (maxQuantity 1): only fields sent change.
    const sent = req.body as Record<string, unknown>;
    const body = Object.fromEntries(
      Object.entries(parsed).filter(([field]) => Object.hasOwn(sent, field)),
    ) as typeof parsed;
    const row = await changeAddOn(deps, actorOf(principal), params.id, body);
    res.json(addOnView(row));
  });

  mountRemoval(router, api.deleteAddOn, removeAddOn, deps);
}

/** Taxes per location and location adjustments. */
function taxRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listTaxes, async ({ query: q }, _req, res) => {
    const after = decodeCursor(locationCursor, q.cursor)?.after;
    const rows = await listTaxes(deps.db, { afterLocation: after, limit: q.limit });
    res.json(pageOf(rows, q.limit, taxView, (r) => ({ after: r.location })));
  });

  mount(router, api.setTax, async ({ params: { location }, body, principal }, _req, res) => {
    const row = await setTax(deps, actorOf(principal), {
      location,
      name: body.name,
      rateBps: fromPercent(body.ratePercent),
      inclusive: body.inclusive,
    });
    res.json(taxView(row));
  });

  mount(router, api.deleteTax, async ({ params: { location }, principal }, _req, res) => {
    await removeTax(deps, actorOf(principal), location);
    res.status(204).end();
  });

  mount(router, api.listLocationAdjustments, async ({ query: q }, _req, res) => {
    const after = decodeCursor(idCursor, q.cursor)?.after;
    const rows = await listLocationAdjustments(deps.db, { afterId: after, limit: q.limit });
    res.json(pageOf(rows, q.limit, locationAdjustmentView, (r) => ({ after: r.id })));
  });

  mount(router, api.setLocationAdjustment, async ({ body, principal }, _req, res) => {
    const row = await setLocationAdjustment(deps, actorOf(principal), {
      location: body.location,
      itemType: body.itemType ?? null,
      description: body.description,
      bps: fromPercent(body.percent),
    });
    res.json(locationAdjustmentView(row));
  });

  mountRemoval(router, api.deleteLocationAdjustment, removeLocationAdjustment, deps);
}

/** Refund policies per item type. */
function refundPolicyRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listRefundPolicies, async (_input, _req, res) => {
    const rows = await listRefundPolicies(deps.db);
    res.json({ items: rows.map(refundPolicyView), nextCursor: null });
  });

  mount(router, api.setRefundPolicy, async ({ params: { itemType }, body, principal }, _req, res) => {
    const row = await setRefundPolicy(deps, actorOf(principal), {
      itemType,
      windows: body.windows.map((w) => ({
        minHoursBefore: w.minHoursBefore,
        refundBps: fromPercent(w.refundPercent),
      })),
      processingFeeBps: fromPercent(body.processingFeePercent),
      noShowRefundBps: fromPercent(body.noShowRefundPercent),
    });
    res.json(refundPolicyView(row));
  });
}

/** Rate cards per item. */
function rateCardRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.getRateCard, async ({ params: { itemId } }, _req, res) => {
    res.json(rateCardView(itemId, await rateCardFor(deps.db, itemId)));
  });

  mount(router, api.setRateCard, async ({ params: { itemId }, body, principal }, _req, res) => {
    const { locationAdjustmentPercent, ...rest } = body;
    const change: RateCardChange = { ...rest };
    if (locationAdjustmentPercent !== undefined) {
      change.locationAdjustmentBps =
        locationAdjustmentPercent === null ? null : fromPercent(locationAdjustmentPercent);
    }
    const row = await setRateCard(deps, actorOf(principal), itemId, change);
    res.json(rateCardView(itemId, row));
  });
}

/** The audit trail of pricing changes. */
function auditRoutes(router: Router, deps: FlowContext): void {
  mount(router, api.listAudit, async ({ query: q }, _req, res) => {
    const before = decodeCursor(numericCursor, q.cursor)?.before;
    const rows = await listAudit(deps.db, {
      entity: q.entity,
      entityId: q.entityId,
      beforeId: before,
      limit: q.limit,
    });
    res.json(pageOf(rows, q.limit, auditView, (r) => ({ before: r.id })));
  });
}
