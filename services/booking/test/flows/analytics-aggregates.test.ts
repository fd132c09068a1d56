/**
 * The admin summary's customer value, loyalty and per-location figures, through the gateway:
 * lifetime value is what customers paid and kept, a charge still pending never counts as paid,
 * repeat customers are those with two completed bookings, and every figure splits by location.
 */
import { addConcierge, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const admin = () => token({ role: 'admin', sub: 'admin-analytics' });
const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function book(who: string, itemId: string, start: string, end: string, pay = true) {
  const created = await call(stack, 'POST', '/v1/bookings', { token: who, body: { itemId, start, end } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (pay)
    expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: who })).status).toBe(200);
  return { id, total: created.body.price.total as number };
}

async function status(id: string, to: string) {
  const res = await call(stack, 'POST', `/v1/bookings/${id}/status`, {
    token: await admin(),
    body: { status: to },
  });
  expect(res.status).toBe(200);
}

async function view(id: string) {
  return (await call(stack, 'GET', `/v1/bookings/${id}`, { token: await admin() })).body;
}

it('adds lifetime value, repeat customers, loyalty tiers and per-location figures, never counting a pending charge', async () => {
  await addConcierge(stack, 'an-1', 'nice', 5);
  await addConcierge(stack, 'an-2', 'cannes', 5);
  const nice = [await createItem(stack, { location: 'nice' }), await createItem(stack, { location: 'nice' })];
  const cannes = [
    await createItem(stack, { location: 'cannes' }),
    await createItem(stack, { location: 'cannes' }),
  ];
  const ada = await token({ role: 'customer', sub: 'ada-analytics' });
  const ben = await token({ role: 'customer', sub: 'ben-analytics' });
  const cy = await token({ role: 'customer', sub: 'cy-analytics' });

  // Ada: two stays at Nice, both completed.
  const a1 = await book(ada, nice[0]!.id, soon(20), soon(180));
  const a2 = await book(ada, nice[1]!.id, soon(30), soon(200));
  for (const b of [a1, a2]) {
    await status(b.id, 'in_progress');
    await status(b.id, 'completed');
  }
  // Ben: one at Cannes, cancelled and refunded by policy.
  const b1 = await book(ben, cannes[0]!.id, soon(60 * 24 * 20), soon(60 * 24 * 21));
  const cancel = await call(stack, 'POST', `/v1/bookings/${b1.id}/cancel`, {
    token: ben,
    body: { reason: 'plans changed' },
  });
  expect(cancel.status).toBe(200);
  const benView = await eventually(async () => {
    const v = await view(b1.id);
    return v.status === 'refunded' && v;
  }, 20_000);
  // Cy: a booking at Cannes whose charge is still pending.
  const c1 = await book(cy, cannes[1]!.id, soon(60 * 24 * 5), soon(60 * 24 * 6), false);
  expect((await view(c1.id)).status).toBe('pending_payment');

  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = soon(60 * 24 * 30);
  const res = await call(stack, 'GET', `/v1/analytics/summary?from=${from}&to=${to}`, {
    token: await admin(),
  });
  expect(res.status).toBe(200);
  const s = res.body;

  const adaPaid = a1.total + a2.total;
  // `paid` is what the booking kept (its charges less its refunds).
  const benKept = benView.paid as number;
  const benCharged = benKept + (benView.refunded as number);
  expect(benView.refunded).toBeGreaterThan(0);
  expect(s.customers.lifetimeValue).toEqual([
    {
      currency: 'EUR',
      customers: 2,
      total: adaPaid + benKept,
      average: Math.round((adaPaid + benKept) / 2),
      max: Math.max(adaPaid, benKept),
    },
  ]);
  expect(s.customers).toMatchObject({ withCompletedBookings: 1, repeat: 1, repeatRate: 1 });

  // Ada and Ben, who paid, have a standing (Cy, who never paid, has none): counted by tier.
  const tiers = s.loyalty.byTier as Record<string, { customers: number; points: number }>;
  const expected: Record<string, { customers: number; points: number }> = {};
  for (const id of ['ada-analytics', 'ben-analytics']) {
    const st = (await call(stack, 'GET', `/v1/customers/${id}`, { token: await admin() })).body;
    const slot = (expected[st.tier] ??= { customers: 0, points: 0 });
    slot.customers += 1;
    slot.points += st.points as number;
  }
  expect(tiers).toEqual(expected);

  expect(s.byLocation.nice).toEqual({
    bookings: 2,
    byStatus: { completed: 2 },
    revenue: [{ currency: 'EUR', amount: adaPaid }],
    refunds: [],
    noShowRate: 0,
  });
  expect(s.byLocation.cannes).toEqual({
    bookings: 2,
    byStatus: { refunded: 1, pending_payment: 1 },
    revenue: [{ currency: 'EUR', amount: benCharged }],
    refunds: [{ currency: 'EUR', amount: benView.refunded }],
    noShowRate: null,
  });
  // The whole equals the sum of its places, and the pending charge is in neither.
  expect(s.revenue).toEqual([{ currency: 'EUR', amount: adaPaid + benCharged }]);
  expect(s.bookings.total).toBe(4);
}, 120_000);

it('refuses the summary to anyone but an admin and a window that ends before it starts', async () => {
  const customer = await token({ role: 'customer', sub: 'ada-analytics' });
  expect((await call(stack, 'GET', '/v1/analytics/summary', { token: customer })).status).toBe(403);
  const bad = await call(stack, 'GET', '/v1/analytics/summary?from=yesterday', { token: await admin() });
  expect(bad.status).toBe(400);
  const empty = await call(
    stack,
    'GET',
    '/v1/analytics/summary?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
    {
      token: await admin(),
    },
  );
  expect(empty.status).toBe(200);
  expect(empty.body.byLocation).toEqual({});
  // Lifetime figures are as of `to`: nothing had been paid by then.
  expect(empty.body.customers).toMatchObject({
    lifetimeValue: [],
    withCompletedBookings: 0,
    repeat: 0,
    repeatRate: null,
  });
}, 30_000);
