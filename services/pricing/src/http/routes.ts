/** HTTP routes of the pricing service: public quotes, and the super_admin management of pricing rules. */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { pricingApi, pricingSchemas } from '@midas/contracts';
import { decodeCursor, encodeCursor, parseInput, requireRole } from '@midas/http';
import type { Actor } from '../db/audit';
import { listAudit } from '../db/audit';
import { listAddOns } from '../db/add-ons';
import { listLocationAdjustments } from '../db/location-adjustments';
import { rateCardFor } from '../db/rate-cards';
import { listRefundPolicies } from '../db/refund-policies';
import { listSeasons } from '../db/seasons';
import { listTaxes } from '../db/taxes';
import { tierMultipliers } from '../db/tiers';
import { quoteStay } from '../flows/quote-stay';
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
import type { PricingDeps } from '../flows/pricing-deps';
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
const idCursor = z.object({ after: z.string().max(200) });
const numericCursor = z.object({ before: z.number().int() });

function actorOf(req: Request): Actor {
  return { sub: req.principal.sub ?? 'unknown', role: req.principal.role };
}

function nextCursor<T>(rows: T[], limit: number, key: (row: T) => unknown): string | null {
  return rows.length === limit ? encodeCursor(key(rows[rows.length - 1]!)) : null;
}

export function pricingRoutes(deps: PricingDeps) {
  const admin = requireRole('admin');
  const superAdmin = requireRole('super_admin');

  return (router: Router) => {
    router.post(api.createQuote.path, async (req, res) => {
      const body = parseInput(pricingSchemas.quoteRequest, req.body);
      const quote = await quoteStay(
        deps,
        { ...body, start: new Date(body.start), end: new Date(body.end) },
        { requireFutureStart: true },
      );
      res.status(200).json(quote);
    });

    router.get(api.getQuote.path, async (req, res) => {
      const { id } = parseInput(api.getQuote.params, req.params, 'params');
      res.json(await getQuote(deps, id));
    });

    router.get(api.listSeasons.path, admin, async (req, res) => {
      const q = parseInput(api.listSeasons.query, req.query, 'query');
      const after = decodeCursor(idCursor, q.cursor)?.after;
      const rows = await listSeasons(deps.db, { location: q.location, afterId: after, limit: q.limit });
      res.json({
        items: rows.map(seasonView),
        nextCursor: nextCursor(rows, q.limit, (r) => ({ after: r.id })),
      });
    });

    router.post(api.createSeason.path, superAdmin, async (req, res) => {
      const body = parseInput(api.createSeason.body, req.body);
      const { multiplier, ...rest } = body;
      const row = await createSeason(deps, actorOf(req), {
        ...rest,
        multiplierBps: fromMultiplier(multiplier),
      });
      res.status(201).json(seasonView(row));
    });

    router.patch(api.updateSeason.path, superAdmin, async (req, res) => {
      const { id } = parseInput(api.updateSeason.params, req.params, 'params');
      const { multiplier, ...rest } = parseInput(api.updateSeason.body, req.body);
      const row = await changeSeason(deps, actorOf(req), id, {
        ...rest,
        ...(multiplier === undefined ? {} : { multiplierBps: fromMultiplier(multiplier) }),
      });
      res.json(seasonView(row));
    });

    router.delete(api.deleteSeason.path, superAdmin, async (req, res) => {
      const { id } = parseInput(api.deleteSeason.params, req.params, 'params');
      await removeSeason(deps, actorOf(req), id);
      res.status(204).end();
    });

    router.get(api.listTiers.path, admin, async (_req, res) => {
      const tiers = await tierMultipliers(deps.db);
      res.json({
        items: Object.entries(tiers).map(([code, bps]) => ({ code, multiplier: toMultiplier(bps) })),
        nextCursor: null,
      });
    });

    router.put(api.setTier.path, superAdmin, async (req, res) => {
      const { code } = parseInput(api.setTier.params, req.params, 'params');
      const { multiplier } = parseInput(api.setTier.body, req.body);
      const bps = await setTierMultiplier(deps, actorOf(req), code, fromMultiplier(multiplier));
      res.json({ code, multiplier: toMultiplier(bps) });
    });

    router.get(api.listAddOns.path, admin, async (req, res) => {
      const q = parseInput(api.listAddOns.query, req.query, 'query');
      const after = decodeCursor(idCursor, q.cursor)?.after;
      const rows = await listAddOns(deps.db, {
        itemType: q.itemType,
        location: q.location,
        afterId: after,
        limit: q.limit,
      });
      res.json({
        items: rows.map(addOnView),
        nextCursor: nextCursor(rows, q.limit, (r) => ({ after: r.id })),
      });
    });

    router.post(api.createAddOn.path, superAdmin, async (req, res) => {
      const body = parseInput(api.createAddOn.body, req.body);
      const row = await createAddOn(deps, actorOf(req), { ...body, location: body.location ?? null });
      res.status(201).json(addOnView(row));
    });

    router.patch(api.updateAddOn.path, superAdmin, async (req, res) => {
      const { id } = parseInput(api.updateAddOn.params, req.params, 'params');
      const parsed = parseInput(api.updateAddOn.body, req.body);
      // The patch schema keeps the create schema's defaults (maxQuantity 1): only fields sent change.
      const sent = req.body as Record<string, unknown>;
      const body = Object.fromEntries(
        Object.entries(parsed).filter(([field]) => Object.hasOwn(sent, field)),
      ) as typeof parsed;
      const row = await changeAddOn(deps, actorOf(req), id, body);
      res.json(addOnView(row));
    });

    router.delete(api.deleteAddOn.path, superAdmin, async (req, res) => {
      const { id } = parseInput(api.deleteAddOn.params, req.params, 'params');
      await removeAddOn(deps, actorOf(req), id);
      res.status(204).end();
    });

    router.get(api.listTaxes.path, admin, async (req, res) => {
      const q = parseInput(api.listTaxes.query, req.query, 'query');
      const after = decodeCursor(idCursor, q.cursor)?.after;
      const rows = await listTaxes(deps.db, { afterLocation: after, limit: q.limit });
      res.json({
        items: rows.map(taxView),
        nextCursor: nextCursor(rows, q.limit, (r) => ({ after: r.location })),
      });
    });

    router.put(api.setTax.path, superAdmin, async (req, res) => {
      const { location } = parseInput(api.setTax.params, req.params, 'params');
      const body = parseInput(api.setTax.body, req.body);
      const row = await setTax(deps, actorOf(req), {
        location,
        name: body.name,
        rateBps: fromPercent(body.ratePercent),
        inclusive: body.inclusive,
      });
      res.json(taxView(row));
    });

    router.delete(api.deleteTax.path, superAdmin, async (req, res) => {
      const { location } = parseInput(api.deleteTax.params, req.params, 'params');
      await removeTax(deps, actorOf(req), location);
      res.status(204).end();
    });

    router.get(api.listLocationAdjustments.path, admin, async (req, res) => {
      const q = parseInput(api.listLocationAdjustments.query, req.query, 'query');
      const after = decodeCursor(idCursor, q.cursor)?.after;
      const rows = await listLocationAdjustments(deps.db, { afterId: after, limit: q.limit });
      res.json({
        items: rows.map(locationAdjustmentView),
        nextCursor: nextCursor(rows, q.limit, (r) => ({ after: r.id })),
      });
    });

    router.put(api.setLocationAdjustment.path, superAdmin, async (req, res) => {
      const body = parseInput(api.setLocationAdjustment.body, req.body);
      const row = await setLocationAdjustment(deps, actorOf(req), {
        location: body.location,
        itemType: body.itemType ?? null,
        description: body.description,
        bps: fromPercent(body.percent),
      });
      res.json(locationAdjustmentView(row));
    });

    router.delete(api.deleteLocationAdjustment.path, superAdmin, async (req, res) => {
      const { id } = parseInput(api.deleteLocationAdjustment.params, req.params, 'params');
      await removeLocationAdjustment(deps, actorOf(req), id);
      res.status(204).end();
    });

    router.get(api.listRefundPolicies.path, admin, async (_req, res) => {
      const rows = await listRefundPolicies(deps.db);
      res.json({ items: rows.map(refundPolicyView), nextCursor: null });
    });

    router.put(api.setRefundPolicy.path, superAdmin, async (req, res) => {
      const { itemType } = parseInput(api.setRefundPolicy.params, req.params, 'params');
      const body = parseInput(api.setRefundPolicy.body, req.body);
      const row = await setRefundPolicy(deps, actorOf(req), {
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

    router.get(api.getRateCard.path, admin, async (req, res) => {
      const { itemId } = parseInput(api.getRateCard.params, req.params, 'params');
      res.json(rateCardView(itemId, await rateCardFor(deps.db, itemId)));
    });

    router.put(api.setRateCard.path, superAdmin, async (req, res) => {
      const { itemId } = parseInput(api.setRateCard.params, req.params, 'params');
      const { locationAdjustmentPercent, ...rest } = parseInput(api.setRateCard.body, req.body);
      const change: RateCardChange = { ...rest };
      if (locationAdjustmentPercent !== undefined) {
        change.locationAdjustmentBps =
          locationAdjustmentPercent === null ? null : fromPercent(locationAdjustmentPercent);
      }
      const row = await setRateCard(deps, actorOf(req), itemId, change);
      res.json(rateCardView(itemId, row));
    });

    router.get(api.listAudit.path, superAdmin, async (req, res) => {
      const q = parseInput(api.listAudit.query, req.query, 'query');
      const before = decodeCursor(numericCursor, q.cursor)?.before;
      const rows = await listAudit(deps.db, {
        entity: q.entity,
        entityId: q.entityId,
        beforeId: before,
        limit: q.limit,
      });
      res.json({
        items: rows.map(auditView),
        nextCursor: nextCursor(rows, q.limit, (r) => ({ before: r.id })),
      });
    });
  };
}
