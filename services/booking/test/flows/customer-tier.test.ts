/** A customer's loyalty tier reaches pricing as a perk (never a dearer tier), and bookings show on /metrics. */
import { addConcierge, at, call, createItem, startStack, token, type Stack } from '../harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('customer tier', () => {
  it('prices a loyal customer at the service tier they choose, with their perk as a discount line, never higher', async () => {
    const car = await createItem(stack, { type: 'car', rate: { unit: 'day', amount: 100_000 } });
    await stack.booking.ctx.pool.query(
      `INSERT INTO booking.customers (id, tier) VALUES ('loyal-customer', 'premium'), ('very-loyal', 'vvip')`,
    );
    const loyal = await token({ role: 'customer', sub: 'loyal-customer' });
    const vip = await token({ role: 'customer', sub: 'very-loyal' });
    const fresh = await token({ role: 'customer', sub: 'new-customer' });

    // The same two days, quoted for anyone, then booked by a premium-tier customer and a new one.
    const quote = await call(stack, 'POST', '/v1/quotes', {
      body: { itemId: car.id, start: at(20), end: at(22) },
    });
    expect(quote.status).toBe(200);
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
    // Loyalty does not move the customer to a dearer service tier.
    expect(premium.body.tier).toBe('standard');
    expect(standard.body.tier).toBe('standard');
    const lines = premium.body.price.lines as { code: string; amount: number }[];
    const perk = lines.find((l) => l.code === 'loyalty');
    expect(perk?.amount).toBeLessThan(0);
    expect(lines.reduce((n, l) => n + l.amount, 0)).toBe(premium.body.price.total);
    expect(premium.body.price.total).toBeLessThan(standard.body.price.total);
    expect(premium.body.price.total).toBeLessThan(quote.body.total);
    // The premium perk is 5 % off the stay before tax: the whole price is 0.95 of the new customer's.
    expect(premium.body.price.total / standard.body.price.total).toBeCloseTo(0.95, 2);

    // A VVIP customer who chooses the premium service pays the premium service, less their perk.
    const yacht = await createItem(stack, { type: 'yacht', rate: { unit: 'day', amount: 100_000 } });
    const vipPremium = await call(stack, 'POST', '/v1/bookings', {
      token: vip,
      body: { itemId: yacht.id, start: at(40), end: at(42), tier: 'premium' },
    });
    const freshPremium = await call(stack, 'POST', '/v1/bookings', {
      token: fresh,
      body: { itemId: yacht.id, start: at(50), end: at(52), tier: 'premium' },
    });
    expect(vipPremium.body.tier).toBe('premium');
    expect(freshPremium.body.tier).toBe('premium');
    expect(vipPremium.body.price.total / freshPremium.body.price.total).toBeCloseTo(0.9, 2);
  });

  it('upgrades a customer by completed bookings, as configured, and their next booking carries the perk', async () => {
    // Thresholds are data: here two completed bookings make a premium customer.
    await stack.booking.ctx.pool.query(
      `UPDATE booking.loyalty_tiers SET min_completed_bookings = 2 WHERE tier = 'premium'`,
    );
    await addConcierge(stack, 'tier-concierge', 'monaco', 10);
    const admin = await token({ role: 'admin', sub: 'admin-tier' });
    const regular = await token({ role: 'customer', sub: 'regular-customer' });
    const cars = [await createItem(stack), await createItem(stack)];
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const standing = async () =>
      (await call(stack, 'GET', '/v1/customers/regular-customer', { token: admin })).body;

    for (const [n, from, to] of [
      [0, 10, 120],
      [1, 20, 150],
    ] as const) {
      const made = await call(stack, 'POST', '/v1/bookings', {
        token: regular,
        body: { itemId: cars[n]!.id, start: soon(from), end: soon(to) },
      });
      expect(made.status).toBe(201);
      expect(made.body.price.lines.some((l: { code: string }) => l.code === 'loyalty')).toBe(false);
      const id = made.body.id as string;
      expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: regular })).status).toBe(
        200,
      );
      for (const status of ['in_progress', 'completed']) {
        const res = await call(stack, 'POST', `/v1/bookings/${id}/status`, {
          token: admin,
          body: { status },
        });
        expect(res.status).toBe(200);
      }
      if (from === 10) expect(await standing()).toMatchObject({ tier: 'standard', completedBookings: 1 });
    }
    // Little spend, but two completed bookings.
    expect(await standing()).toMatchObject({ tier: 'premium', completedBookings: 2 });
    const next = await call(stack, 'POST', '/v1/bookings', {
      token: regular,
      body: { itemId: (await createItem(stack, { type: 'yacht' })).id, start: at(60), end: at(61) },
    });
    expect(next.status).toBe(201);
    expect(next.body.tier).toBe('standard');
    expect(next.body.price.lines).toContainEqual(expect.objectContaining({ code: 'loyalty' }));
  });

  it('reports bookings by status and the outbox backlog on /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.booking.port}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/^midas_bookings\{status="pending_payment",type="car",service="booking"\} 2$/m);
    expect(text).toMatch(/^midas_outbox_pending\{service="booking"\} \d+$/m);
  });
});
