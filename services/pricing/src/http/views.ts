/** Rows as the API shows them: multipliers as decimals, rates as percentages, times in RFC 3339. */
import type { AddOnRow } from '../db/add-ons';
import type { AuditRow } from '../db/audit';
import type { LocationAdjustmentRow } from '../db/location-adjustments';
import type { RateCardRow } from '../db/rate-cards';
import type { RefundPolicyRow } from '../db/refund-policies';
import type { SeasonRow } from '../db/seasons';
import type { TaxRow } from '../db/taxes';
import { ONE } from '../domain/money';

export const toMultiplier = (bps: number) => bps / ONE;
export const toPercent = (bps: number) => bps / 100;
export const fromMultiplier = (m: number) => Math.round(m * ONE);
export const fromPercent = (p: number) => Math.round(p * 100);

export function seasonView(s: SeasonRow) {
  return {
    id: s.id,
    location: s.location,
    name: s.name,
    multiplier: toMultiplier(s.multiplierBps),
    recurring: s.recurring,
    start: s.start,
    end: s.end,
  };
}

export function addOnView(a: AddOnRow) {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    itemType: a.itemType,
    location: a.location,
    pricing: a.pricing,
    amount: a.amount,
    currency: a.currency,
    maxQuantity: a.maxQuantity,
  };
}

export function taxView(t: TaxRow) {
  return { location: t.location, name: t.name, ratePercent: toPercent(t.rateBps), inclusive: t.inclusive };
}

export function locationAdjustmentView(a: LocationAdjustmentRow) {
  return {
    id: a.id,
    location: a.location,
    itemType: a.itemType,
    description: a.description,
    percent: toPercent(a.bps),
  };
}

export function refundPolicyView(p: RefundPolicyRow) {
  return {
    itemType: p.itemType,
    windows: p.windows.map((w) => ({
      minHoursBefore: w.minHoursBefore,
      refundPercent: toPercent(w.refundBps),
    })),
    processingFeePercent: toPercent(p.processingFeeBps),
    noShowRefundPercent: toPercent(p.noShowRefundBps),
  };
}

export function rateCardView(itemId: string, r: RateCardRow | undefined) {
  return {
    itemId,
    unit: r?.unit ?? null,
    amount: r?.amount ?? null,
    dailyCap: r?.dailyCap ?? null,
    minimumCharge: r?.minimumCharge ?? null,
    locationAdjustmentPercent: r?.locationAdjustmentBps == null ? null : toPercent(r.locationAdjustmentBps),
  };
}

export function auditView(a: AuditRow) {
  return { ...a, id: String(a.id), at: a.at.toISOString() };
}
