/** Public and admin HTTP routes of the pricing service (`POST /v1/quotes` and the pricing admin routes), with their schemas. */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page, pageFields, wholeList } from './page';
import { itemType } from '../rpc/availability';
import { addOnRequest, quote, redeemPoints, tier } from '../rpc/pricing';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
});
const uuid = z.uuid({ message: 'must be a UUID' });
const location = z.string().trim().min(1).max(100);

function decimalPlaces(value: number, places: number): boolean {
  const scaled = value * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** ISO 4217 code known to the runtime's Intl data. */
const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine((c) => Intl.supportedValuesOf('currency').includes(c), 'is not a known ISO 4217 currency');
/** Integer minor units of the item's currency. */
const minorUnits = z.number().int('must be an integer of minor units').min(0).max(1_000_000_000_000);
/** A price multiplier such as 1.25, to 4 decimal places. */
const multiplier = z
  .number()
  .gt(0)
  .max(10)
  .refine((v) => decimalPlaces(v, 4), 'has more than 4 decimal places');
/** A percentage such as 12.5, to 2 decimal places. */
const percent = (min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((v) => decimalPlaces(v, 2), 'has more than 2 decimal places');

const quoteRequest = z.strictObject({
  itemId: uuid,
  start: instant,
  end: instant,
  tier: tier.optional(),
  addOns: z.array(addOnRequest).max(20).optional(),
  /** Signed-in customers only: loyalty points to redeem as a `points` discount line. */
  redeemPoints: redeemPoints.optional(),
});

const seasonInput = z.strictObject({
  location,
  name: z.string().trim().min(1).max(100),
  multiplier,
  /** true: `start`/`end` are `MM-DD` and repeat every year; false: `YYYY-MM-DD` dates. Both inclusive. */
  recurring: z.boolean(),
  start: z.string().max(10),
  end: z.string().max(10),
});
const seasonPatch = seasonInput.partial().strict();
const seasonView = seasonInput.extend({ id: uuid });

const tierInput = z.strictObject({ multiplier });
const tierView = z.object({ code: tier, multiplier: z.number() });

const addOnInput = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]{1,50}$/, 'must be 1-50 lower-case letters, digits or _'),
  name: z.string().trim().min(1).max(100),
  itemType,
  /** null or absent: offered at every location (a location's own entry wins). */
  location: location.nullable().optional(),
  /** flat: per booking; per_unit: per rate unit of the item (hour, day or night); per_guest: per guest. */
  pricing: z.enum(['flat', 'per_unit', 'per_guest']),
  amount: minorUnits,
  currency: currencyCode,
  maxQuantity: z.number().int().min(1).max(1000).default(1),
});
const addOnPatch = addOnInput.partial().strict();
const addOnView = addOnInput.extend({ id: uuid, location: z.string().nullable() });

const taxInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  ratePercent: percent(0, 100),
  /** true: prices already include it (shown, not added); false: added on top. */
  inclusive: z.boolean(),
});
const taxView = taxInput.extend({ location: z.string() });

const locationAdjustmentInput = z.strictObject({
  location,
  /** null or absent: every item type at the location (a type's own entry wins). */
  itemType: itemType.nullable().optional(),
  description: z.string().trim().min(1).max(200),
  /** Surcharge (positive) or discount (negative) on the rental after the tier. */
  percent: percent(-99.99, 1000),
});
const locationAdjustmentView = locationAdjustmentInput.extend({ id: uuid, itemType: itemType.nullable() });

const refundPolicyInput = z.strictObject({
  windows: z
    .array(
      z.strictObject({ minHoursBefore: z.number().int().min(0).max(8784), refundPercent: percent(0, 100) }),
    )
    .max(20),
  processingFeePercent: percent(0, 100),
  noShowRefundPercent: percent(0, 100),
});
const refundPolicyView = refundPolicyInput.extend({ itemType });

const rateCardInput = z.strictObject({
  unit: z.enum(['hour', 'day', 'night']).nullable().optional(),
  amount: minorUnits.nullable().optional(),
  /** Hourly rates only: the most charged per local day before the season multiplier. */
  dailyCap: minorUnits.nullable().optional(),
  minimumCharge: minorUnits.nullable().optional(),
  locationAdjustmentPercent: percent(-99.99, 1000).nullable().optional(),
});
const rateCardView = z.object({
  itemId: uuid,
  unit: z.enum(['hour', 'day', 'night']).nullable(),
  amount: z.number().nullable(),
  dailyCap: z.number().nullable(),
  minimumCharge: z.number().nullable(),
  locationAdjustmentPercent: z.number().nullable(),
});

const auditEntryView = z.object({
  id: z.string(),
  at: instant,
  actor: z.string(),
  actorRole: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});

/** Request and response schemas of the pricing routes, for the service and its tests. */
export const pricingSchemas = {
  quoteRequest,
  seasonInput,
  seasonPatch,
  seasonView,
  tierInput,
  tierView,
  addOnInput,
  addOnPatch,
  addOnView,
  taxInput,
  taxView,
  locationAdjustmentInput,
  locationAdjustmentView,
  refundPolicyInput,
  refundPolicyView,
  rateCardInput,
  rateCardView,
  auditEntryView,
  currencyCode,
  minorUnits,
  multiplier,
};
export type QuoteRequest = z.infer<typeof quoteRequest>;

const idParams = z.object({ id: uuid });
const TAG = 'Pricing';
const ADMIN_READ = access.roles(['admin'], 'admin, super_admin');
const SUPER = access.roles(['super_admin']);

export const pricingApi = defineRoutes({
  createQuote: {
    method: 'post',
    path: '/v1/quotes',
    summary:
      "Price a stay; lines add up exactly to total, and the quote id locks the price until expiresAt. A signed-in customer's quote carries their loyalty perk and any points redeemed",
    tag: TAG,
    access: access.anyone(),
    body: quoteRequest,
    responses: {
      200: { description: 'The quote', schema: quote },
      401: { description: 'redeemPoints without signing in' },
      403: { description: 'redeemPoints by staff (only customers hold points)' },
      422: {
        description: 'insufficient_points, points_not_accepted (no rate for the currency), or a stay rule',
      },
    },
  },
  getQuote: {
    method: 'get',
    path: '/v1/quotes/:id',
    summary: 'Read a quote again',
    tag: TAG,
    access: access.anyone('anyone holding its id'),
    params: idParams,
    responses: { 200: { description: 'The quote', schema: quote } },
  },
  listSeasons: {
    method: 'get',
    path: '/v1/pricing/seasons',
    summary: 'Seasons, optionally of one location',
    tag: TAG,
    access: ADMIN_READ,
    query: z.object({ location: location.optional(), ...pageFields }),
    responses: { 200: { description: 'A page of seasons', schema: page(seasonView) } },
  },
  createSeason: {
    method: 'post',
    path: '/v1/pricing/seasons',
    summary: 'Add a season to a location; seasons of the same kind may not overlap (409)',
    tag: TAG,
    access: SUPER,
    body: seasonInput,
    responses: { 201: { description: 'The season', schema: seasonView } },
  },
  updateSeason: {
    method: 'patch',
    path: '/v1/pricing/seasons/:id',
    summary: 'Change a season',
    tag: TAG,
    access: SUPER,
    params: idParams,
    body: seasonPatch,
    responses: { 200: { description: 'The season', schema: seasonView } },
  },
  deleteSeason: {
    method: 'delete',
    path: '/v1/pricing/seasons/:id',
    summary: 'Remove a season',
    tag: TAG,
    access: SUPER,
    params: idParams,
    responses: { 204: { description: 'Removed' } },
  },
  listTiers: {
    method: 'get',
    path: '/v1/pricing/tiers',
    summary: 'Service tier multipliers',
    tag: TAG,
    access: ADMIN_READ,
    responses: {
      200: {
        description: 'Every tier',
        schema: wholeList(tierView),
      },
    },
  },
  setTier: {
    method: 'put',
    path: '/v1/pricing/tiers/:code',
    summary: 'Set a tier multiplier; standard <= premium <= vvip must hold (422)',
    tag: TAG,
    access: SUPER,
    params: z.object({ code: tier }),
    body: tierInput,
    responses: { 200: { description: 'The tier', schema: tierView } },
  },
  listAddOns: {
    method: 'get',
    path: '/v1/pricing/add-ons',
    summary: 'The add-on catalog',
    tag: TAG,
    access: ADMIN_READ,
    query: z.object({ itemType: itemType.optional(), location: location.optional(), ...pageFields }),
    responses: { 200: { description: 'A page of add-ons', schema: page(addOnView) } },
  },
  createAddOn: {
    method: 'post',
    path: '/v1/pricing/add-ons',
    summary: 'Offer an add-on for an item type, at one location or all',
    tag: TAG,
    access: SUPER,
    body: addOnInput,
    responses: { 201: { description: 'The add-on', schema: addOnView } },
  },
  updateAddOn: {
    method: 'patch',
    path: '/v1/pricing/add-ons/:id',
    summary: 'Change an add-on',
    tag: TAG,
    access: SUPER,
    params: idParams,
    body: addOnPatch,
    responses: { 200: { description: 'The add-on', schema: addOnView } },
  },
  deleteAddOn: {
    method: 'delete',
    path: '/v1/pricing/add-ons/:id',
    summary: 'Stop offering an add-on',
    tag: TAG,
    access: SUPER,
    params: idParams,
    responses: { 204: { description: 'Removed' } },
  },
  listTaxes: {
    method: 'get',
    path: '/v1/pricing/taxes',
    summary: 'Taxes per location',
    tag: TAG,
    access: ADMIN_READ,
    query: z.object(pageFields),
    responses: { 200: { description: 'A page of taxes', schema: page(taxView) } },
  },
  setTax: {
    method: 'put',
    path: '/v1/pricing/taxes/:location',
    summary: 'Set the tax of a location',
    tag: TAG,
    access: SUPER,
    params: z.object({ location }),
    body: taxInput,
    responses: { 200: { description: 'The tax', schema: taxView } },
  },
  deleteTax: {
    method: 'delete',
    path: '/v1/pricing/taxes/:location',
    summary: 'Remove the tax of a location',
    tag: TAG,
    access: SUPER,
    params: z.object({ location }),
    responses: { 204: { description: 'Removed' } },
  },
  listLocationAdjustments: {
    method: 'get',
    path: '/v1/pricing/location-adjustments',
    summary: 'Location surcharges and discounts',
    tag: TAG,
    access: ADMIN_READ,
    query: z.object(pageFields),
    responses: { 200: { description: 'A page of adjustments', schema: page(locationAdjustmentView) } },
  },
  setLocationAdjustment: {
    method: 'put',
    path: '/v1/pricing/location-adjustments',
    summary: 'Create or replace the adjustment of a location (and item type)',
    tag: TAG,
    access: SUPER,
    body: locationAdjustmentInput,
    responses: { 200: { description: 'The adjustment', schema: locationAdjustmentView } },
  },
  deleteLocationAdjustment: {
    method: 'delete',
    path: '/v1/pricing/location-adjustments/:id',
    summary: 'Remove a location adjustment',
    tag: TAG,
    access: SUPER,
    params: idParams,
    responses: { 204: { description: 'Removed' } },
  },
  listRefundPolicies: {
    method: 'get',
    path: '/v1/pricing/refund-policies',
    summary: 'Refund policy of each item type',
    tag: TAG,
    access: ADMIN_READ,
    responses: {
      200: {
        description: 'Every policy',
        schema: wholeList(refundPolicyView),
      },
    },
  },
  setRefundPolicy: {
    method: 'put',
    path: '/v1/pricing/refund-policies/:itemType',
    summary: 'Set the refund policy of an item type; more notice may never refund less (422)',
    tag: TAG,
    access: SUPER,
    params: z.object({ itemType }),
    body: refundPolicyInput,
    responses: { 200: { description: 'The policy', schema: refundPolicyView } },
  },
  getRateCard: {
    method: 'get',
    path: '/v1/pricing/rate-cards/:itemId',
    summary: 'The rate card overrides of an item',
    tag: TAG,
    access: ADMIN_READ,
    params: z.object({ itemId: uuid }),
    responses: { 200: { description: 'The rate card', schema: rateCardView } },
  },
  setRateCard: {
    method: 'put',
    path: '/v1/pricing/rate-cards/:itemId',
    summary: 'Override an item’s unit, rate, daily cap, minimum charge or location adjustment (null clears)',
    tag: TAG,
    access: SUPER,
    params: z.object({ itemId: uuid }),
    body: rateCardInput,
    responses: { 200: { description: 'The rate card', schema: rateCardView } },
  },
  listAudit: {
    method: 'get',
    path: '/v1/pricing/audit',
    summary: 'Who changed which pricing rule, newest first',
    tag: TAG,
    access: SUPER,
    query: z.object({
      entity: z.string().max(50).optional(),
      entityId: z.string().max(200).optional(),
      ...pageFields,
    }),
    responses: { 200: { description: 'A page of audit entries', schema: page(auditEntryView) } },
  },
});
