import request from 'supertest';
import { bearer, signToken } from '@midas/testing';
import { givenItem, startPricing, type PricingHarness } from '../support/harness';

let h: PricingHarness;
let superAdmin: Record<string, string>;
let admin: Record<string, string>;
let customer: Record<string, string>;

beforeAll(async () => {
  h = await startPricing({ seed: false });
  superAdmin = bearer(await signToken({ role: 'super_admin', sub: 'ops-chief' }));
  admin = bearer(await signToken({ role: 'admin', sub: 'ops-admin' }));
  customer = bearer(await signToken({ role: 'customer' }));
});
afterAll(async () => {
  await h.stop();
});

const app = () => h.running.app;
const byCode = (lines: { code: string; amount: number }[]) =>
  Object.fromEntries(lines.map((l) => [l.code, l.amount]));

async function auditCount(): Promise<number> {
  const res = await request(app()).get('/v1/pricing/audit?limit=200').set(superAdmin);
  return res.body.items.length;
}

describe('pricing administration', () => {
  it('lets only super_admins change pricing rules and admins read them', async () => {
    const season = {
      location: 'Nice',
      name: 'Summer',
      multiplier: 1.5,
      recurring: true,
      start: '07-01',
      end: '08-31',
    };
    expect((await request(app()).post('/v1/pricing/seasons').send(season)).status).toBe(401);
    expect((await request(app()).post('/v1/pricing/seasons').set(customer).send(season)).status).toBe(403);
    expect((await request(app()).post('/v1/pricing/seasons').set(admin).send(season)).status).toBe(403);
    expect((await request(app()).get('/v1/pricing/seasons').set(customer)).status).toBe(403);
    expect((await request(app()).get('/v1/pricing/tiers').set(admin)).body.items).toEqual([
      { code: 'standard', multiplier: 1 },
      { code: 'premium', multiplier: 1.3 },
      { code: 'vvip', multiplier: 1.8 },
    ]);
    expect((await request(app()).get('/v1/pricing/audit').set(admin)).status).toBe(403);
  });

  it('adds a season that changes later quotes, and records who added it', async () => {
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Cannes',
      timezone: 'Europe/Paris',
      rate: { unit: 'day', amount: 100_000 },
    });
    const quote = () =>
      request(app())
        .post('/v1/quotes')
        .send({ itemId: item.id, start: '2027-05-14T10:00:00+02:00', end: '2027-05-16T10:00:00+02:00' });
    expect(byCode((await quote()).body.lines)).toEqual({ base: 200_000, tier: 0 });

    const created = await request(app()).post('/v1/pricing/seasons').set(superAdmin).send({
      location: 'Cannes',
      name: 'Film festival',
      multiplier: 1.75,
      recurring: false,
      start: '2027-05-11',
      end: '2027-05-22',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ location: 'Cannes', multiplier: 1.75, recurring: false });

    // 2 days × 100 000 × 1.75 = 350 000
    expect(byCode((await quote()).body.lines)).toEqual({ base: 200_000, season: 150_000, tier: 0 });

    const audit = await request(app())
      .get(`/v1/pricing/audit?entity=season&entityId=${created.body.id}`)
      .set(superAdmin);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'ops-chief',
      actorRole: 'super_admin',
      action: 'create',
      before: null,
    });
    expect(audit.body.items[0].after).toMatchObject({ name: 'Film festival', multiplierBps: 17_500 });
  });

  it('refuses an overlapping season of the same kind with 409 and stores nothing', async () => {
    const base = { location: 'Porto Cervo', multiplier: 1.25, recurring: true };
    const first = await request(app())
      .post('/v1/pricing/seasons')
      .set(superAdmin)
      .send({ ...base, name: 'Winter', start: '11-15', end: '02-15' });
    expect(first.status).toBe(201);
    const before = await auditCount();
    const clash = await request(app())
      .post('/v1/pricing/seasons')
      .set(superAdmin)
      .send({ ...base, name: 'New year', start: '01-01', end: '01-10' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'season_overlap', seasonId: first.body.id });
    // A one-off event may sit inside a recurring season.
    const event = await request(app())
      .post('/v1/pricing/seasons')
      .set(superAdmin)
      .send({ ...base, name: 'Regatta', recurring: false, start: '2027-01-03', end: '2027-01-05' });
    expect(event.status).toBe(201);
    expect(await auditCount()).toBe(before + 1);
    const listed = await request(app()).get('/v1/pricing/seasons?location=porto%20cervo').set(admin);
    expect(listed.body.items.map((s: { name: string }) => s.name).sort()).toEqual(['Regatta', 'Winter']);
  });

  it('refuses bad season bounds and over-precise multipliers with 400 naming the fields', async () => {
    const res = await request(app()).post('/v1/pricing/seasons').set(superAdmin).send({
      location: 'Nice',
      name: 'Odd',
      multiplier: 1.23456,
      recurring: true,
      start: '02-30',
      end: '2027-01-01',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['multiplier']);
    const bounds = await request(app()).post('/v1/pricing/seasons').set(superAdmin).send({
      location: 'Nice',
      name: 'Odd',
      multiplier: 1.2,
      recurring: true,
      start: '02-30',
      end: '2027-01-01',
    });
    expect(bounds.status).toBe(400);
    expect(bounds.body.errors.map((e: { field: string }) => e.field)).toEqual(['start', 'end']);
  });

  it('changes and removes a season, auditing each step with before and after', async () => {
    const created = await request(app()).post('/v1/pricing/seasons').set(superAdmin).send({
      location: 'Gstaad',
      name: 'Ski',
      multiplier: 1.25,
      recurring: true,
      start: '12-01',
      end: '03-31',
    });
    const changed = await request(app())
      .patch(`/v1/pricing/seasons/${created.body.id}`)
      .set(superAdmin)
      .send({ multiplier: 1.5 });
    expect(changed.status).toBe(200);
    expect(changed.body.multiplier).toBe(1.5);
    expect(
      (await request(app()).delete(`/v1/pricing/seasons/${created.body.id}`).set(superAdmin)).status,
    ).toBe(204);
    expect(
      (await request(app()).delete(`/v1/pricing/seasons/${created.body.id}`).set(superAdmin)).status,
    ).toBe(404);
    const audit = await request(app())
      .get(`/v1/pricing/audit?entity=season&entityId=${created.body.id}`)
      .set(superAdmin);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['delete', 'update', 'create']);
    expect(audit.body.items[1].before.multiplierBps).toBe(12_500);
    expect(audit.body.items[1].after.multiplierBps).toBe(15_000);
  });

  it('keeps tiers ordered standard <= premium <= vvip (422) and applies a valid change to quotes', async () => {
    const bad = await request(app()).put('/v1/pricing/tiers/premium').set(superAdmin).send({ multiplier: 2 });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('tier_order');
    const item = await givenItem(h.db, {
      type: 'jet',
      location: 'Geneva',
      timezone: 'Europe/Zurich',
      currency: 'CHF',
      rate: { unit: 'hour', amount: 700_000 },
    });
    const ok = await request(app())
      .put('/v1/pricing/tiers/premium')
      .set(superAdmin)
      .send({ multiplier: 1.4 });
    expect(ok.body).toEqual({ code: 'premium', multiplier: 1.4 });
    const quote = await request(app()).post('/v1/quotes').send({
      itemId: item.id,
      start: '2027-03-01T10:00:00+01:00',
      end: '2027-03-01T12:00:00+01:00',
      tier: 'premium',
    });
    // 2 h × 700 000 = 1 400 000; premium now 1.4 -> tier line 560 000
    expect(byCode(quote.body.lines)).toEqual({ base: 1_400_000, tier: 560_000 });
    await request(app()).put('/v1/pricing/tiers/premium').set(superAdmin).send({ multiplier: 1.3 });
  });

  it('offers add-ons per type and location, refusing unknown currencies and duplicates', async () => {
    const addOn = {
      code: 'skipper',
      name: 'Skipper',
      itemType: 'yacht',
      location: 'Split',
      pricing: 'per_unit',
      amount: 5_000,
      currency: 'EUR',
      maxQuantity: 2,
    };
    expect(
      (
        await request(app())
          .post('/v1/pricing/add-ons')
          .set(superAdmin)
          .send({ ...addOn, currency: 'EUX' })
      ).status,
    ).toBe(400);
    const created = await request(app()).post('/v1/pricing/add-ons').set(superAdmin).send(addOn);
    expect(created.status).toBe(201);
    expect((await request(app()).post('/v1/pricing/add-ons').set(superAdmin).send(addOn)).status).toBe(409);

    const item = await givenItem(h.db, {
      location: 'Split',
      timezone: 'Europe/Zagreb',
      rate: { unit: 'hour', amount: 30_000 },
    });
    const quote = await request(app())
      .post('/v1/quotes')
      .send({
        itemId: item.id,
        start: '2027-10-01T10:00:00+02:00',
        end: '2027-10-01T14:00:00+02:00',
        addOns: [{ code: 'skipper', quantity: 2 }],
      });
    // skipper per hour: 2 × 4 h × 5 000 = 40 000
    expect(byCode(quote.body.lines)).toEqual({ base: 120_000, tier: 0, 'addon:skipper': 40_000 });

    const changed = await request(app())
      .patch(`/v1/pricing/add-ons/${created.body.id}`)
      .set(superAdmin)
      .send({ amount: 6_000 });
    expect(changed.body.amount).toBe(6_000);
    expect(
      (await request(app()).delete(`/v1/pricing/add-ons/${created.body.id}`).set(superAdmin)).status,
    ).toBe(204);
    const after = await request(app())
      .post('/v1/quotes')
      .send({
        itemId: item.id,
        start: '2027-10-01T10:00:00+02:00',
        end: '2027-10-01T14:00:00+02:00',
        addOns: [{ code: 'skipper' }],
      });
    expect(after.status).toBe(400);
  });

  it('sets taxes and location adjustments that show up as their own lines', async () => {
    const tax = await request(app())
      .put('/v1/pricing/taxes/Marbella')
      .set(superAdmin)
      .send({ name: 'IVA', ratePercent: 21, inclusive: false });
    expect(tax.body).toEqual({ location: 'Marbella', name: 'IVA', ratePercent: 21, inclusive: false });
    const adj = await request(app())
      .put('/v1/pricing/location-adjustments')
      .set(superAdmin)
      .send({ location: 'Marbella', itemType: 'car', description: 'Puerto Banús surcharge', percent: 10 });
    expect(adj.status).toBe(200);
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Marbella',
      timezone: 'Europe/Madrid',
      rate: { unit: 'day', amount: 100_000 },
    });
    const quote = await request(app())
      .post('/v1/quotes')
      .send({ itemId: item.id, start: '2027-10-01T10:00:00+02:00', end: '2027-10-02T10:00:00+02:00' });
    // 100 000 + 10 % = 110 000; IVA 21 % = 23 100; total 133 100
    expect(byCode(quote.body.lines)).toEqual({ base: 100_000, tier: 0, location: 10_000, tax: 23_100 });
    expect(quote.body.total).toBe(133_100);
    const replaced = await request(app())
      .put('/v1/pricing/location-adjustments')
      .set(superAdmin)
      .send({ location: 'marbella', itemType: 'car', description: 'Puerto Banús discount', percent: -5 });
    expect(replaced.body.id).toBe(adj.body.id);
  });

  it('refuses a refund policy where less notice refunds more (422) and stores a valid one', async () => {
    const bad = await request(app())
      .put('/v1/pricing/refund-policies/car')
      .set(superAdmin)
      .send({
        windows: [
          { minHoursBefore: 48, refundPercent: 50 },
          { minHoursBefore: 24, refundPercent: 100 },
        ],
        processingFeePercent: 2,
        noShowRefundPercent: 0,
      });
    expect(bad.status).toBe(422);
    const ok = await request(app())
      .put('/v1/pricing/refund-policies/car')
      .set(superAdmin)
      .send({
        windows: [
          { minHoursBefore: 24, refundPercent: 50 },
          { minHoursBefore: 72, refundPercent: 100 },
        ],
        processingFeePercent: 2.5,
        noShowRefundPercent: 10,
      });
    expect(ok.status).toBe(200);
    expect(ok.body.windows).toEqual([
      { minHoursBefore: 72, refundPercent: 100 },
      { minHoursBefore: 24, refundPercent: 50 },
    ]);
    const listed = await request(app()).get('/v1/pricing/refund-policies').set(admin);
    expect(listed.body.items.map((p: { itemType: string }) => p.itemType)).toEqual([
      'car',
      'jet',
      'property',
      'yacht',
    ]);
  });

  it('sets an item rate card that overrides the rate, refusing a daily cap on a daily rate', async () => {
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Nice',
      timezone: 'Europe/Paris',
      rate: { unit: 'day', amount: 100_000 },
    });
    const bad = await request(app())
      .put(`/v1/pricing/rate-cards/${item.id}`)
      .set(superAdmin)
      .send({ dailyCap: 10 });
    expect(bad.status).toBe(422);
    const ok = await request(app())
      .put(`/v1/pricing/rate-cards/${item.id}`)
      .set(superAdmin)
      .send({ amount: 120_000, minimumCharge: 300_000 });
    expect(ok.body).toMatchObject({ amount: 120_000, minimumCharge: 300_000, unit: null });
    const quote = await request(app())
      .post('/v1/quotes')
      .send({ itemId: item.id, start: '2027-10-01T10:00:00+02:00', end: '2027-10-02T10:00:00+02:00' });
    expect(byCode(quote.body.lines)).toEqual({ base: 120_000, minimum: 180_000, tier: 0 });
    const read = await request(app()).get(`/v1/pricing/rate-cards/${item.id}`).set(admin);
    expect(read.body).toEqual(ok.body);
  });

  it('admits exactly one of many concurrent overlapping seasons, and serialises concurrent tax changes', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(app())
          .post('/v1/pricing/seasons')
          .set(superAdmin)
          .send({
            location: 'Saint-Tropez',
            name: `Rush ${i}`,
            multiplier: 1.5,
            recurring: true,
            start: '07-01',
            end: '07-31',
          }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const taxes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(app())
          .put('/v1/pricing/taxes/Saint-Tropez')
          .set(superAdmin)
          .send({ name: 'TVA', ratePercent: 10 + i, inclusive: false }),
      ),
    );
    expect(taxes.every((r) => r.status === 200)).toBe(true);
    const listed = await request(app()).get('/v1/pricing/taxes?limit=200').set(admin);
    expect(listed.body.items.filter((t: { location: string }) => t.location === 'Saint-Tropez')).toHaveLength(
      1,
    );
  });

  it('pages through the audit log newest first', async () => {
    const first = await request(app()).get('/v1/pricing/audit?limit=2').set(superAdmin);
    expect(first.body.items).toHaveLength(2);
    const second = await request(app())
      .get(`/v1/pricing/audit?limit=2&cursor=${first.body.nextCursor}`)
      .set(superAdmin);
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id));
    expect((await request(app()).get('/v1/pricing/audit?cursor=garbage').set(superAdmin)).status).toBe(400);
  });

  it('answers 400, never 500, to forged list cursors', async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      forged({ after: 'not-a-uuid' }),
      forged({ after: "' OR 1=1 --" }),
      forged({ after: '00000000-0000-0000-0000-000000000000', extra: 1 }),
      forged({ before: 'x' }),
    ];
    for (const path of ['/v1/pricing/seasons', '/v1/pricing/add-ons', '/v1/pricing/location-adjustments']) {
      for (const cursor of cursors.slice(0, 3)) {
        expect((await request(app()).get(`${path}?cursor=${cursor}`).set(admin)).status).toBe(400);
      }
    }
    expect(
      (
        await request(app())
          .get(`/v1/pricing/taxes?cursor=${forged({ after: '' })}`)
          .set(admin)
      ).status,
    ).toBe(400);
    expect((await request(app()).get(`/v1/pricing/audit?cursor=${cursors[3]}`).set(superAdmin)).status).toBe(
      400,
    );
  });
});
