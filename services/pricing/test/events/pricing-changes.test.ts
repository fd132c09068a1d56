/**
 * Each admin change of a pricing rule writes exactly one `pricing.*` event (version 1) to the
 * outbox in its own transaction, carrying the new and previous values, and the relay publishes it;
 * a refused change (invalid, conflicting, unknown, not allowed) writes none.
 */
import request from 'supertest';
import { pricingEvents } from '@midas/contracts';
import { bearer, eventually, signToken } from '@midas/testing';
import { givenItem, startPricing, type PricingHarness } from '../support/harness';

let h: PricingHarness;
let superAdmin: Record<string, string>;
let admin: Record<string, string>;

beforeAll(async () => {
  h = await startPricing({ seed: false });
  superAdmin = bearer(await signToken({ role: 'super_admin', sub: 'ops-chief' }));
  admin = bearer(await signToken({ role: 'admin', sub: 'ops-admin' }));
});
afterAll(async () => {
  await h.stop();
});

const app = () => h.running.app;

interface OutboxEvent {
  id: string;
  type: string;
  version: number;
  data: Record<string, unknown>;
}

async function lastSeq(): Promise<number> {
  const { rows } = await h.running.ctx.pool.query(
    'SELECT coalesce(max(seq), 0)::int AS seq FROM pricing.outbox',
  );
  return rows[0].seq as number;
}

/** The events a change wrote: runs it, returns what the outbox gained. */
async function eventsOf(change: () => Promise<{ status: number }>, status: number): Promise<OutboxEvent[]> {
  const from = await lastSeq();
  const res = await change();
  expect(res.status).toBe(status);
  const { rows } = await h.running.ctx.pool.query(
    'SELECT id, type, version, data FROM pricing.outbox WHERE seq > $1 ORDER BY seq',
    [from],
  );
  for (const row of rows as OutboxEvent[]) {
    // Every event fits the schema published in @midas/contracts.
    expect(pricingEvents[row.type as keyof typeof pricingEvents].safeParse(row.data).success).toBe(true);
  }
  return rows as OutboxEvent[];
}

const actor = 'super_admin:ops-chief';

describe('pricing.* events', () => {
  it('publishes one pricing.season_changed per create, update and delete, with the new and previous values', async () => {
    let id = '';
    const created = await eventsOf(async () => {
      const res = await request(app()).post('/v1/pricing/seasons').set(superAdmin).send({
        location: 'Gstaad',
        name: 'Ski',
        multiplier: 1.25,
        recurring: true,
        start: '12-01',
        end: '03-31',
      });
      id = res.body.id;
      return res;
    }, 201);
    const values = {
      id,
      location: 'Gstaad',
      name: 'Ski',
      multiplierBps: 12_500,
      recurring: true,
      start: '12-01',
      end: '03-31',
    };
    expect(created).toEqual([
      expect.objectContaining({
        type: 'pricing.season_changed',
        version: 1,
        data: { change: 'created', id, current: values, previous: null, actor },
      }),
    ]);

    const updated = await eventsOf(
      () => request(app()).patch(`/v1/pricing/seasons/${id}`).set(superAdmin).send({ multiplier: 1.5 }),
      200,
    );
    expect(updated).toEqual([
      expect.objectContaining({
        type: 'pricing.season_changed',
        data: {
          change: 'updated',
          id,
          current: { ...values, multiplierBps: 15_000 },
          previous: values,
          actor,
        },
      }),
    ]);

    const deleted = await eventsOf(
      () => request(app()).delete(`/v1/pricing/seasons/${id}`).set(superAdmin),
      204,
    );
    expect(deleted).toEqual([
      expect.objectContaining({
        type: 'pricing.season_changed',
        data: { change: 'deleted', id, current: null, previous: { ...values, multiplierBps: 15_000 }, actor },
      }),
    ]);

    // The relay publishes them: every row is marked sent.
    await eventually(async () => {
      const { rows } = await h.running.ctx.pool.query(
        'SELECT count(*)::int AS n FROM pricing.outbox WHERE sent_at IS NULL',
      );
      return rows[0].n === 0;
    });
  });

  it('publishes one pricing.addon_changed per create, update and delete of an add-on', async () => {
    let id = '';
    const created = await eventsOf(async () => {
      const res = await request(app()).post('/v1/pricing/add-ons').set(superAdmin).send({
        code: 'skipper',
        name: 'Skipper',
        itemType: 'yacht',
        location: 'Split',
        pricing: 'per_unit',
        amount: 5_000,
        currency: 'EUR',
        maxQuantity: 2,
      });
      id = res.body.id;
      return res;
    }, 201);
    const values = {
      id,
      code: 'skipper',
      name: 'Skipper',
      itemType: 'yacht',
      location: 'Split',
      pricing: 'per_unit',
      amount: 5_000,
      currency: 'EUR',
      maxQuantity: 2,
    };
    expect(created).toEqual([
      expect.objectContaining({
        type: 'pricing.addon_changed',
        data: { change: 'created', id, current: values, previous: null, actor },
      }),
    ]);
    const updated = await eventsOf(
      () => request(app()).patch(`/v1/pricing/add-ons/${id}`).set(superAdmin).send({ amount: 6_000 }),
      200,
    );
    expect(updated).toEqual([
      expect.objectContaining({
        type: 'pricing.addon_changed',
        data: { change: 'updated', id, current: { ...values, amount: 6_000 }, previous: values, actor },
      }),
    ]);
    const deleted = await eventsOf(
      () => request(app()).delete(`/v1/pricing/add-ons/${id}`).set(superAdmin),
      204,
    );
    expect(deleted.map((e) => [e.type, e.data.change, e.data.current])).toEqual([
      ['pricing.addon_changed', 'deleted', null],
    ]);
  });

  it('publishes one event for a rate card, a refund policy, a tier, a tax and a location adjustment change', async () => {
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Cannes',
      timezone: 'Europe/Paris',
      rate: { unit: 'day', amount: 100_000 },
    });
    const rateCard = await eventsOf(
      () =>
        request(app())
          .put(`/v1/pricing/rate-cards/${item.id}`)
          .set(superAdmin)
          .send({ amount: 120_000, minimumCharge: 300_000 }),
      200,
    );
    expect(rateCard).toEqual([
      expect.objectContaining({
        type: 'pricing.rate_card_changed',
        data: {
          change: 'created',
          id: item.id,
          current: {
            itemId: item.id,
            unit: null,
            amount: 120_000,
            dailyCap: null,
            minimumCharge: 300_000,
            locationAdjustmentBps: null,
          },
          previous: null,
          actor,
        },
      }),
    ]);

    const policy = await eventsOf(
      () =>
        request(app())
          .put('/v1/pricing/refund-policies/yacht')
          .set(superAdmin)
          .send({
            windows: [
              { minHoursBefore: 24, refundPercent: 50 },
              { minHoursBefore: 72, refundPercent: 100 },
            ],
            processingFeePercent: 2.5,
            noShowRefundPercent: 10,
          }),
      200,
    );
    expect(policy).toHaveLength(1);
    expect(policy[0]).toMatchObject({
      type: 'pricing.refund_policy_changed',
      data: {
        id: 'yacht',
        current: {
          itemType: 'yacht',
          windows: [
            { minHoursBefore: 72, refundBps: 10_000 },
            { minHoursBefore: 24, refundBps: 5_000 },
          ],
          processingFeeBps: 250,
          noShowRefundBps: 1_000,
        },
        actor,
      },
    });

    const tier = await eventsOf(
      () => request(app()).put('/v1/pricing/tiers/premium').set(superAdmin).send({ multiplier: 1.4 }),
      200,
    );
    expect(tier).toEqual([
      expect.objectContaining({
        type: 'pricing.tier_changed',
        data: {
          change: 'updated',
          id: 'premium',
          current: { code: 'premium', multiplierBps: 14_000 },
          previous: { code: 'premium', multiplierBps: 13_000 },
          actor,
        },
      }),
    ]);

    const tax = await eventsOf(
      () =>
        request(app())
          .put('/v1/pricing/taxes/Marbella')
          .set(superAdmin)
          .send({ name: 'IVA', ratePercent: 21, inclusive: false }),
      200,
    );
    expect(tax).toEqual([
      expect.objectContaining({
        type: 'pricing.tax_changed',
        data: expect.objectContaining({
          change: 'created',
          current: expect.objectContaining({ name: 'IVA', rateBps: 2_100, inclusive: false }),
          previous: null,
        }),
      }),
    ]);
    const taxGone = await eventsOf(
      () =>
        request(app())
          .delete(`/v1/pricing/taxes/${String(tax[0]!.data.id)}`)
          .set(superAdmin),
      204,
    );
    expect(taxGone.map((e) => [e.type, e.data.change])).toEqual([['pricing.tax_changed', 'deleted']]);

    const adjustment = await eventsOf(
      () =>
        request(app()).put('/v1/pricing/location-adjustments').set(superAdmin).send({
          location: 'Marbella',
          itemType: 'car',
          description: 'Puerto Banús surcharge',
          percent: 10,
        }),
      200,
    );
    expect(adjustment).toEqual([
      expect.objectContaining({
        type: 'pricing.location_adjustment_changed',
        data: expect.objectContaining({
          change: 'created',
          current: expect.objectContaining({
            itemType: 'car',
            description: 'Puerto Banús surcharge',
            bps: 1_000,
          }),
        }),
      }),
    ]);
    const adjustmentGone = await eventsOf(
      () =>
        request(app())
          .delete(`/v1/pricing/location-adjustments/${String(adjustment[0]!.data.id)}`)
          .set(superAdmin),
      204,
    );
    expect(adjustmentGone.map((e) => [e.type, e.data.change])).toEqual([
      ['pricing.location_adjustment_changed', 'deleted'],
    ]);
  });

  it('publishes nothing for a change that is refused: invalid, conflicting, breaking a rule, unknown or not allowed', async () => {
    const season = {
      location: 'Nice',
      name: 'Summer',
      multiplier: 1.5,
      recurring: true,
      start: '07-01',
      end: '08-31',
    };
    await eventsOf(() => request(app()).post('/v1/pricing/seasons').set(superAdmin).send(season), 201);
    const item = await givenItem(h.db, {
      type: 'car',
      location: 'Nice',
      timezone: 'Europe/Paris',
      rate: { unit: 'day', amount: 100_000 },
    });

    const refused: [() => Promise<{ status: number }>, number][] = [
      [
        () =>
          request(app())
            .post('/v1/pricing/seasons')
            .set(superAdmin)
            .send({ ...season, start: '13-45' }),
        400,
      ],
      [() => request(app()).post('/v1/pricing/seasons').set(superAdmin).send(season), 409],
      [
        () =>
          request(app())
            .post('/v1/pricing/seasons')
            .set(admin)
            .send({ ...season, location: 'Antibes' }),
        403,
      ],
      [
        () =>
          request(app()).delete('/v1/pricing/seasons/00000000-0000-4000-8000-000000000000').set(superAdmin),
        404,
      ],
      [() => request(app()).put('/v1/pricing/tiers/premium').set(superAdmin).send({ multiplier: 2 }), 422],
      [
        () =>
          request(app())
            .put('/v1/pricing/refund-policies/car')
            .set(superAdmin)
            .send({
              windows: [
                { minHoursBefore: 48, refundPercent: 50 },
                { minHoursBefore: 24, refundPercent: 100 },
              ],
              processingFeePercent: 2,
              noShowRefundPercent: 0,
            }),
        422,
      ],
      [
        () => request(app()).put(`/v1/pricing/rate-cards/${item.id}`).set(superAdmin).send({ dailyCap: 10 }),
        422,
      ],
      [
        () =>
          request(app()).post('/v1/pricing/add-ons').set(superAdmin).send({
            code: 'chef',
            name: 'Chef',
            itemType: 'yacht',
            location: 'Split',
            pricing: 'per_unit',
            amount: 5_000,
            currency: 'EUX',
            maxQuantity: 2,
          }),
        400,
      ],
    ];
    for (const [change, status] of refused) {
      expect(await eventsOf(change, status)).toEqual([]);
    }
  });
});
