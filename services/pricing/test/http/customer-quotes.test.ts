/**
 * A signed-in customer's public quote when booking, which holds their standing, does not answer:
 * without points it is the plain price (never below what their booking will cost); with points
 * it fails, since the balance is unknown; and no quote is stored for the failure. Pricing runs
 * alone here, so nothing serves `booking.loyalty`.
 */
import request from 'supertest';
import { bearer, signToken } from '@midas/testing';
import { givenItem, startPricing, type PricingHarness } from '../support/harness';

let h: PricingHarness;
beforeAll(async () => {
  h = await startPricing();
});
afterAll(async () => {
  await h.stop();
});

it('quotes a customer without their perk when booking cannot say, and refuses to redeem points then', async () => {
  const item = await givenItem(h.db, { rate: { unit: 'day', amount: 100_000 } });
  const body = { itemId: item.id, start: '2027-10-01T10:00:00+02:00', end: '2027-10-03T10:00:00+02:00' };
  const customer = bearer(await signToken({ role: 'customer', sub: 'cust-no-booking' }));
  const asGuest = await request(h.running.app).post('/v1/quotes').send(body);
  const plain = await request(h.running.app).post('/v1/quotes').set(customer).send(body);
  expect(asGuest.status).toBe(200);
  expect(plain.status).toBe(200);
  expect(plain.body.total).toBe(asGuest.body.total);
  expect(plain.body.lines.some((l: { code: string }) => l.code === 'loyalty')).toBe(false);

  const stored = async () =>
    (await h.running.ctx.pool.query('SELECT count(*)::int AS n FROM pricing.quotes')).rows[0].n;
  const before = await stored();
  const redeeming = await request(h.running.app)
    .post('/v1/quotes')
    .set(customer)
    .send({ ...body, redeemPoints: 100 });
  expect(redeeming.status).toBe(503);
  expect(redeeming.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(await stored()).toBe(before);
}, 30_000);
