import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  availabilityRpc,
  NotFound,
  pricingRpc,
  RuleViolation,
  ValidationFailed,
  type ItemSnapshot,
} from '@midas/contracts';
import { Broker, topologyNames } from '@midas/messaging';
import { bearer, brokerScope, connectBroker, signToken } from '@midas/testing';
import { givenItem, itemSnapshot, startPricing, type PricingHarness } from '../support/harness';
import { findItem } from '../../src/db/items';

let h: PricingHarness;
let booking: Broker;
let availability: Broker;
/** Items the stand-in availability server knows; pricing has no copy of them until it asks. */
const remoteItems = new Map<string, ItemSnapshot>();
let remoteLookups = 0;

beforeAll(async () => {
  h = await startPricing({
    extraQueues: (env) => [topologyNames(env.namespace).rpcQueue(availabilityRpc.getItem.method)],
  });
  const connect = (service: string) => connectBroker(brokerScope(h.env), service);
  booking = await connect('booking');
  availability = await connect('availability');
  // Availability's side of availability.get_item, over the real broker.
  await availability.serve(availabilityRpc.getItem, ({ itemId }) => {
    remoteLookups++;
    const item = remoteItems.get(itemId);
    if (!item) throw new NotFound('item');
    return item;
  });
});
afterAll(async () => {
  await booking.close();
  await availability.close();
  await h.stop();
});

const sum = (lines: { amount: number }[]) => lines.reduce((s, l) => s + l.amount, 0);

describe('pricing.quote over RabbitMQ', () => {
  it('prices at the asked tier, with the customer tier booking passes along as a discount line', async () => {
    const item = await givenItem(h.db, { type: 'car', rate: { unit: 'day', amount: 100_000 } });
    const quote = await booking.call(pricingRpc.quote, {
      itemId: item.id,
      start: '2027-10-01T10:00:00+02:00',
      end: '2027-10-03T10:00:00+02:00',
      tier: 'standard',
      customerTier: 'vvip',
    });
    // Monaco in October: standard season; 2 days × 100 000 = 200 000 at standard; VVIP loyalty
    // 10 % off -> 180 000; VAT 20 % -> 216 000
    expect(quote).toMatchObject({ tier: 'standard', total: 216_000, currency: 'EUR', itemId: item.id });
    expect(quote.lines).toContainEqual(expect.objectContaining({ code: 'loyalty', amount: -20_000 }));
    expect(sum(quote.lines)).toBe(quote.total);
  });

  it('returns the locked quote for the same stay, and a fresh one when the stay differs or the lock expired', async () => {
    const item = await givenItem(h.db, { type: 'car', rate: { unit: 'day', amount: 100_000 } });
    const stay = {
      itemId: item.id,
      start: '2027-10-01T10:00:00+02:00',
      end: '2027-10-03T10:00:00+02:00',
      addOns: [{ code: 'chauffeur' }],
    };
    const first = await booking.call(pricingRpc.quote, stay);
    // The rate rises after the guest saw the price; the lock keeps the old one.
    await givenItem(h.db, { ...item, rate: { unit: 'day', amount: 150_000 } });
    const locked = await booking.call(pricingRpc.quote, {
      ...stay,
      addOns: [{ code: 'chauffeur', quantity: 1 }],
      quoteId: first.id,
    });
    expect(locked).toEqual(first);

    const longer = await booking.call(pricingRpc.quote, {
      ...stay,
      end: '2027-10-04T10:00:00+02:00',
      quoteId: first.id,
    });
    expect(longer.id).not.toBe(first.id);

    await h.running.ctx.pool.query(
      `UPDATE pricing.quotes SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [first.id],
    );
    const expired = await booking.call(pricingRpc.quote, { ...stay, quoteId: first.id });
    expect(expired.id).not.toBe(first.id);
    expect(expired.total).toBeGreaterThan(first.total);
  });

  it('re-prices a stay that already started, which public quotes refuse', async () => {
    const item = await givenItem(h.db, { type: 'car', rate: { unit: 'day', amount: 100_000 } });
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const end = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const quote = await booking.call(pricingRpc.quote, { itemId: item.id, start, end });
    expect(quote.total).toBeGreaterThan(0);
    const pub = await request(h.running.app).post('/v1/quotes').send({ itemId: item.id, start, end });
    expect(pub.status).toBe(422);
  });

  it('sends rule and validation failures back as the same typed errors', async () => {
    const item = await givenItem(h.db);
    const backwards = await booking
      .call(pricingRpc.quote, { itemId: item.id, start: '2027-10-03T10:00:00Z', end: '2027-10-01T10:00:00Z' })
      .catch((e: unknown) => e);
    expect(backwards).toBeInstanceOf(RuleViolation);
    expect(backwards).toMatchObject({ code: 'end_before_start', status: 422 });
    const unknownAddOn = await booking
      .call(pricingRpc.quote, {
        itemId: item.id,
        start: '2027-10-01T10:00:00Z',
        end: '2027-10-01T12:00:00Z',
        addOns: [{ code: 'submarine' }],
      })
      .catch((e: unknown) => e);
    expect(unknownAddOn).toBeInstanceOf(ValidationFailed);
    expect((unknownAddOn as ValidationFailed).errors.map((e) => e.field)).toEqual(['addOns.0.code']);
  });

  it('asks availability for an item it has no copy of, keeps the answer, and 404s when availability does not know it', async () => {
    const item = itemSnapshot({
      type: 'jet',
      location: 'Dubai',
      timezone: 'Asia/Dubai',
      currency: 'AED',
      rate: { unit: 'hour', amount: 3_000_000 },
    });
    remoteItems.set(item.id, item);
    const before = remoteLookups;
    const quote = await booking.call(pricingRpc.quote, {
      itemId: item.id,
      start: '2027-10-01T10:00:00+04:00',
      end: '2027-10-01T12:00:00+04:00',
    });
    // 2 h × 3 000 000 = 6 000 000 in Dubai's October standard season; VAT 5 % included.
    expect(quote.total).toBe(6_000_000);
    expect(await findItem(h.db, item.id)).toMatchObject({
      id: item.id,
      currency: 'AED',
      rateAmount: 3_000_000,
    });
    await booking.call(pricingRpc.quote, {
      itemId: item.id,
      start: '2027-10-02T10:00:00+04:00',
      end: '2027-10-02T12:00:00+04:00',
    });
    expect(remoteLookups).toBe(before + 1);

    const missing = await request(h.running.app)
      .post('/v1/quotes')
      .send({ itemId: randomUUID(), start: '2027-10-01T10:00:00Z', end: '2027-10-01T12:00:00Z' });
    expect(missing.status).toBe(404);
    const superAdmin = bearer(await signToken({ role: 'super_admin' }));
    const rateCard = await request(h.running.app)
      .put(`/v1/pricing/rate-cards/${randomUUID()}`)
      .set(superAdmin)
      .send({ amount: 1 });
    expect(rateCard.status).toBe(404);
  });
});

describe('pricing.refund over RabbitMQ', () => {
  const start = '2027-08-10T10:00:00Z';
  const hoursBefore = (h: number) => new Date(Date.parse(start) - h * 3_600_000).toISOString();

  it('returns the amount and the rule for each car window, and everything under force majeure', async () => {
    const ask = (cancelledAt: string, forceMajeure = false) =>
      booking.call(pricingRpc.refund, {
        itemType: 'car',
        start,
        cancelledAt,
        paidAmount: 250_000,
        currency: 'EUR',
        forceMajeure,
      });
    // 250 000 paid: >= 48 h 100 % less 2 % fee (5 000); >= 24 h 50 % = 125 000 less 2 500; < 24 h nothing.
    expect(await ask(hoursBefore(72))).toEqual({
      amount: 245_000,
      fee: 5_000,
      rule: 'car:cancellation:>=48h',
      percent: 100,
    });
    expect(await ask(hoursBefore(24))).toEqual({
      amount: 122_500,
      fee: 2_500,
      rule: 'car:cancellation:>=24h',
      percent: 50,
    });
    expect(await ask(hoursBefore(1))).toEqual({
      amount: 0,
      fee: 0,
      rule: 'car:cancellation:<24h',
      percent: 0,
    });
    expect(await ask(hoursBefore(1), true)).toEqual({
      amount: 250_000,
      fee: 0,
      rule: 'force_majeure',
      percent: 100,
    });
  });

  it('applies the no-show share when an admin refunds a no-show', async () => {
    const res = await booking.call(pricingRpc.refund, {
      itemType: 'yacht',
      start,
      cancelledAt: hoursBefore(-3),
      paidAmount: 1_000_000,
      currency: 'EUR',
      reason: 'no_show',
    });
    // yacht no-show 10 % = 100 000, fee 3 % of it = 3 000
    expect(res).toEqual({ amount: 97_000, fee: 3_000, rule: 'yacht:no_show', percent: 10 });
  });

  it('refuses an unknown currency and a negative paid amount as validation failures', async () => {
    const bad = (over: object) =>
      booking
        .call(pricingRpc.refund, {
          itemType: 'car',
          start,
          cancelledAt: hoursBefore(72),
          paidAmount: 1,
          currency: 'EUR',
          ...over,
        } as never)
        .catch((e: unknown) => e);
    expect(await bad({ currency: 'ZZZ' })).toBeInstanceOf(ValidationFailed);
    expect(await bad({ paidAmount: -5 })).toBeInstanceOf(ValidationFailed);
  });
});
