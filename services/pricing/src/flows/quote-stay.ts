/** Prices a stay for an item and stores the quote, or returns a still-valid quote the caller locked earlier. */
import { randomUUID } from 'node:crypto';
import { NotFound, RuleViolation, type Quote, type Tier } from '@midas/contracts';
import { inTransaction } from '@midas/db';
import { findQuote, insertQuote, type QuoteRow } from '../db/quotes';
import { loadQuoteContext, type QuoteContext } from '../db/quote-context';
import { selectAddOns, type AddOnOffer, type AddOnRequest } from '../domain/add-on-selection';
import { assertPriceableStay } from '../domain/stay';
import { priceStay, type AddOnPricing } from '../domain/stay-price';
import type { RateUnit } from '../domain/billing-units';
import { resolveItem } from './resolve-item';
import type { FlowContext } from './context';

export interface QuoteStayRequest {
  itemId: string;
  start: Date;
  end: Date;
  tier?: Tier;
  /** The customer's loyalty tier: its perk (a discount) applies; it never changes the service tier. */
  customerTier?: Tier;
  addOns?: AddOnRequest[];
  /** Loyalty points to redeem as a `points` discount line; `pointsBalance` must cover them. */
  redeemPoints?: number;
  /** The customer's unspent points (booking's figure); required with `redeemPoints`. */
  pointsBalance?: number;
  /** A quote shown earlier: returned as is when still valid and for the same stay. */
  quoteId?: string;
}

export interface QuoteStayOptions {
  /** Public quotes must start in the future; booking re-prices running stays. */
  requireFutureStart: boolean;
}

export function quoteView(row: QuoteRow): Quote {
  return {
    id: row.id,
    itemId: row.itemId,
    start: row.start.toISOString(),
    end: row.end.toISOString(),
    tier: row.tier,
    expiresAt: row.expiresAt.toISOString(),
    currency: row.currency,
    total: row.total,
    lines: row.lines,
    ...(row.pointsRedeemed > 0 ? { pointsRedeemed: row.pointsRedeemed } : {}),
  };
}

function normalisedAddOns(addOns: AddOnRequest[] = []): { code: string; quantity: number }[] {
  return addOns
    .map((a) => ({ code: a.code, quantity: a.quantity ?? 1 }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

function sameStay(
  row: QuoteRow,
  req: QuoteStayRequest,
  tier: Tier,
  addOns: { code: string; quantity: number }[],
): boolean {
  // A quote shown without a loyal customer's discount is priced again, with it.
  const wantsPerk = req.customerTier !== undefined && req.customerTier !== 'standard';
  // Points depend on the balance at the time: a quote that redeems (or was asked to) is priced again.
  const points = req.redeemPoints !== undefined || row.pointsRedeemed > 0;
  return (
    !points &&
    (!wantsPerk || row.lines.some((l) => l.code === 'loyalty')) &&
    row.itemId === req.itemId &&
    row.start.getTime() === req.start.getTime() &&
    row.end.getTime() === req.end.getTime() &&
    row.tier === tier &&
    row.addOns.length === addOns.length &&
    row.addOns.every((a, i) => a.code === addOns[i]!.code && a.quantity === addOns[i]!.quantity)
  );
}

/** Points asked for must be points held. */
function assertPointsHeld(req: QuoteStayRequest): void {
  if (req.redeemPoints !== undefined && req.redeemPoints > (req.pointsBalance ?? 0)) {
    throw new RuleViolation(
      'insufficient_points',
      `You have ${req.pointsBalance ?? 0} loyalty points; ${req.redeemPoints} cannot be redeemed`,
    );
  }
}

export async function quoteStay(
  deps: FlowContext,
  req: QuoteStayRequest,
  opts: QuoteStayOptions,
): Promise<Quote> {
  const now = deps.now();
  assertPriceableStay(req.start, req.end, opts.requireFutureStart ? now : undefined);
  // The service tier is the customer's choice: loyalty rewards with perks, never a higher price.
  const tier: Tier = req.tier ?? 'standard';
  const addOns = normalisedAddOns(req.addOns);
  assertPointsHeld(req);

  if (req.quoteId) {
    const locked = await findQuote(deps.db, req.quoteId);
    if (locked && locked.expiresAt > now && sameStay(locked, req, tier, addOns)) return quoteView(locked);
  }

  // What the quote is priced from and the quote stored, in one transaction; an item not known
  // here yet is asked from availability first (outside it) and the transaction runs again.
  const priceAndStore = () =>
    inTransaction(deps.pool, async (client) => {
      const context = await loadQuoteContext(client, req.itemId);
      if (!context.item) return undefined;
      const row = priced(deps, context, req, tier, addOns, now);
      await insertQuote(client, row);
      return row;
    });
  let row = await priceAndStore();
  if (!row) {
    await resolveItem(deps, req.itemId);
    row = await priceAndStore();
  }
  if (!row) throw new NotFound('item', `Item ${req.itemId} not found`);
  return quoteView(row);
}

/** The quote of a stay, priced from everything pricing knows of its item. */
function priced(
  deps: FlowContext,
  context: QuoteContext,
  req: QuoteStayRequest,
  tier: Tier,
  addOns: { code: string; quantity: number }[],
  now: Date,
): QuoteRow {
  const {
    item,
    rateCard,
    seasons,
    tiers,
    loyaltyPerks,
    pointsRate,
    adjustment,
    tax,
    addOns: offers,
  } = context;
  if (!item) throw new NotFound('item', `Item ${req.itemId} not found`);
  if (!item.active) throw new RuleViolation('item_inactive', 'This item is not offered at the moment');
  if (req.redeemPoints !== undefined && !pointsRate) {
    throw new RuleViolation(
      'points_not_accepted',
      `Loyalty points cannot be redeemed on prices in ${item.currency}`,
    );
  }
  const choices = selectAddOns(
    req.addOns ?? [],
    offers.map((o): AddOnOffer => ({ ...o, pricing: o.pricing as AddOnPricing })),
    item.currency,
  );

  const location =
    rateCard?.locationAdjustmentBps != null
      ? { description: `${item.location} adjustment for ${item.name}`, bps: rateCard.locationAdjustmentBps }
      : adjustment && { description: adjustment.description, bps: adjustment.bps };
  const price = priceStay({
    currency: item.currency,
    timezone: item.timezone,
    start: req.start,
    end: req.end,
    rate: {
      unit: (rateCard?.unit ?? item.rateUnit) as RateUnit,
      amount: rateCard?.amount ?? item.rateAmount,
      dailyCap: rateCard?.dailyCap,
      minimumCharge: rateCard?.minimumCharge,
    },
    seasons,
    tier: { code: tier, multiplierBps: tiers[tier] },
    location,
    loyalty: req.customerTier
      ? { tier: req.customerTier, discountBps: loyaltyPerks[req.customerTier] ?? 0 }
      : null,
    addOns: choices,
    points: req.redeemPoints && pointsRate ? { requested: req.redeemPoints, rate: pointsRate } : null,
    tax: tax && { name: tax.name, rateBps: tax.rateBps, inclusive: tax.inclusive },
  });

  return {
    id: randomUUID(),
    itemId: item.id,
    start: req.start,
    end: req.end,
    tier,
    addOns,
    currency: item.currency,
    total: price.total,
    lines: price.lines,
    pointsRedeemed: price.pointsRedeemed,
    expiresAt: new Date(now.getTime() + deps.quoteTtlMs),
    createdAt: now,
  };
}
