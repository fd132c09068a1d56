/** A customer's loyalty tier reaches pricing, and the bookings it makes show on /metrics. */
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

  it('reports bookings by status and the outbox backlog on /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.booking.port}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/^midas_bookings\{status="pending_payment",type="car",service="booking"\} 2$/m);
    expect(text).toMatch(/^midas_outbox_pending\{service="booking"\} \d+$/m);
  });
});
