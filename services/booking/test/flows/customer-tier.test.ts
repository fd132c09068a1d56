/** A customer's loyalty tier reaches pricing: a premium customer is priced at least at premium. */
import { at, call, createItem, startStack, token, type Stack } from '../stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('customer tier', () => {
  it('prices a premium customer at the premium tier and a new customer at standard', async () => {
    const car = await createItem(stack, { type: 'car', rate: { unit: 'day', amount: 100_000 } });
    await stack.booking.ctx.pool.query(
      `INSERT INTO booking.customers (id, tier) VALUES ('loyal-customer', 'premium')`,
    );
    const loyal = await token({ role: 'customer', sub: 'loyal-customer' });
    const fresh = await token({ role: 'customer', sub: 'new-customer' });

    const premium = await call(stack, 'POST', '/v1/bookings', {
      token: loyal,
      body: { itemId: car.id, start: at(20), end: at(22) },
    });
    const standard = await call(stack, 'POST', '/v1/bookings', {
      token: fresh,
      body: { itemId: car.id, start: at(30), end: at(32) },
    });
    expect(premium.status).toBe(201);
    expect(standard.status).toBe(201);
    expect(premium.body.tier).toBe('premium');
    expect(standard.body.tier).toBe('standard');
    // Same car, same two days: the premium price is 1.3 times the standard one, give or take rounding.
    const ratio = premium.body.price.total / standard.body.price.total;
    expect(ratio).toBeCloseTo(1.3, 2);
  });
});
