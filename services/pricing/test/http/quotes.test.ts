import request from 'supertest';
import { DateTime } from 'luxon';
import { bearer, signToken } from '@midas/testing';
import { givenItem, startPricing, type PricingHarness } from '../support/harness';
import { setRateCard } from '../../src/flows/set-rate-card';
import { DEFAULT_QUOTE_TTL_MS } from '../../src/flows/context';

let h: PricingHarness;
beforeAll(async () => {
  h = await startPricing();
});
afterAll(async () => {
  await h.stop();
});

const sum = (lines: { amount: number }[]) => lines.reduce((s, l) => s + l.amount, 0);
const byCode = (lines: { code: string; amount: number }[]) =>
  Object.fromEntries(lines.map((l) => [l.code, l.amount]));
const post = (body: unknown) =>
  request(h.running.app)
    .post('/v1/quotes')
    .send(body as object);

describe('POST /v1/quotes', () => {
  it('quotes a 3-day VVIP Monaco yacht charter from high into peak season with a chef, to the cent', async () => {
    const item = await givenItem(h.db, { rate: { unit: 'hour', amount: 80_000 } });
    await setRateCard(h.deps, { sub: 'setup', role: 'super_admin' }, item.id, {
      dailyCap: 1_200_000,
    });
    // Seeded Monaco data: early summer high 1.25 until 30 Jun, summer peak 1.5 from 1 Jul,
    // yacht harbour fee +5 %, VAT 20 % exclusive, private chef EUR 250.00 per guest.
    //   29 Jun 14 h × 80 000 = 1 120 000 × 1.25 = 1 400 000
    //   30 Jun capped 1 200 000 × 1.25 = 1 500 000; 1 Jul capped 1 200 000 × 1.5 = 1 800 000
    //    2 Jul 10 h × 80 000 = 800 000 × 1.5 = 1 200 000
    //   base 4 320 000, season 1 580 000, VVIP ×1.8 -> tier 4 720 000, harbour +5 % -> 531 000,
    //   chef 6 × 25 000 = 150 000, VAT 20 % of 11 301 000 = 2 260 200, total 13 561 200
    const res = await post({
      itemId: item.id,
      start: '2027-06-29T10:00:00+02:00',
      end: '2027-07-02T10:00:00+02:00',
      tier: 'vvip',
      addOns: [{ code: 'chef', quantity: 6 }],
    });
    expect(res.status).toBe(200);
    expect(byCode(res.body.lines)).toEqual({
      base: 4_320_000,
      season: 1_580_000,
      tier: 4_720_000,
      location: 531_000,
      'addon:chef': 150_000,
      tax: 2_260_200,
    });
    expect(res.body).toMatchObject({
      currency: 'EUR',
      total: 13_561_200,
      tier: 'vvip',
      start: '2027-06-29T08:00:00.000Z',
    });
    expect(sum(res.body.lines)).toBe(res.body.total);
    const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(DEFAULT_QUOTE_TTL_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(DEFAULT_QUOTE_TTL_MS);
  });

  it('lets guests and customers alike quote, standard tier by default, and reads the quote back by id', async () => {
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Dubai',
      timezone: 'Asia/Dubai',
      currency: 'AED',
      rate: { unit: 'day', amount: 150_000 },
    });
    const body = { itemId: item.id, start: '2027-09-01T10:00:00+04:00', end: '2027-09-03T10:00:00+04:00' };
    const guest = await post(body);
    const customer = await request(h.running.app)
      .post('/v1/quotes')
      .set(bearer(await signToken({ role: 'customer' })))
      .send(body);
    // Dubai in September: summer low 0.85; 2 days × 150 000 = 300 000 -> 255 000; VAT 5 % included.
    for (const res of [guest, customer]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tier: 'standard', currency: 'AED', total: 255_000 });
      expect(res.body.lines.find((l: { code: string }) => l.code === 'tax')).toMatchObject({ amount: 0 });
    }
    expect(guest.body.id).not.toBe(customer.body.id);
    const again = await request(h.running.app).get(`/v1/quotes/${guest.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(guest.body);
  });

  it('never charges VVIP less than premium nor premium less than standard for the same stay', async () => {
    const item = await givenItem(h.db, {
      type: 'property',
      location: 'Aspen',
      timezone: 'America/Denver',
      currency: 'USD',
      rate: { unit: 'night', amount: 250_000 },
    });
    const totals = [];
    for (const tier of ['standard', 'premium', 'vvip']) {
      const res = await post({
        itemId: item.id,
        start: '2027-12-28T16:00:00-07:00',
        end: '2028-01-08T11:00:00-07:00',
        tier,
      });
      expect(res.status).toBe(200);
      totals.push(res.body.total as number);
    }
    expect(totals[0]).toBeLessThan(totals[1]!);
    expect(totals[1]).toBeLessThan(totals[2]!);
  });

  it('refuses an end before the start, a five-year span and a start in the past with 422', async () => {
    const item = await givenItem(h.db);
    const cases: [string, string, string][] = [
      ['2027-07-02T10:00:00Z', '2027-07-01T10:00:00Z', 'end_before_start'],
      ['2027-07-01T10:00:00Z', '2027-07-01T10:00:00Z', 'end_before_start'],
      ['2027-07-01T10:00:00Z', '2032-07-01T10:00:00Z', 'stay_too_long'],
      [DateTime.now().minus({ days: 1 }).toISO(), DateTime.now().plus({ days: 1 }).toISO(), 'start_in_past'],
    ];
    for (const [start, end, code] of cases) {
      const res = await post({ itemId: item.id, start, end });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe(code);
    }
  });

  it('names an unknown add-on, a repeated one and too many of one as bad fields (400)', async () => {
    const item = await givenItem(h.db);
    const res = await post({
      itemId: item.id,
      start: '2027-07-01T10:00:00Z',
      end: '2027-07-01T14:00:00Z',
      addOns: [{ code: 'submarine' }, { code: 'chef', quantity: 13 }, { code: 'crew' }, { code: 'crew' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'addOns.0.code',
      'addOns.1.quantity',
      'addOns.3.code',
    ]);
  });

  it('refuses malformed bodies with 400 naming each bad field', async () => {
    const res = await post({
      itemId: 'nope',
      start: 'tomorrow',
      end: '2027-07-01T14:00:00',
      tier: 'gold',
      extra: 1,
      addOns: [{ code: 'chef', quantity: -1 }],
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['addOns.0.quantity', 'end', 'extra', 'itemId', 'start', 'tier']);
    const noBody = await request(h.running.app)
      .post('/v1/quotes')
      .set('content-type', 'application/json')
      .send('{"itemId":');
    expect(noBody.status).toBe(400);
  });

  it('answers 404 for an unknown quote id and 400 for a malformed one', async () => {
    expect((await request(h.running.app).get('/v1/quotes/7d4f1c1e-5b7a-4c43-9a55-0f1f3f9b8a11')).status).toBe(
      404,
    );
    expect((await request(h.running.app).get('/v1/quotes/not-a-uuid')).status).toBe(400);
  });

  it('answers 503, safe to retry, when an unknown item cannot be looked up because availability does not answer', async () => {
    const res = await post({
      itemId: '7d4f1c1e-5b7a-4c43-9a55-0f1f3f9b8a11',
      start: '2027-07-01T10:00:00Z',
      end: '2027-07-01T14:00:00Z',
    });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('rpc_timeout');
  });

  it('refuses to quote an item that is no longer offered (422)', async () => {
    const item = await givenItem(h.db, { active: false });
    const res = await post({ itemId: item.id, start: '2027-07-01T10:00:00Z', end: '2027-07-01T14:00:00Z' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('item_inactive');
  });
});
