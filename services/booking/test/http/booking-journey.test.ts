/**
 * The whole journey through the gateway: a guest quotes, holds, books, pays with the local
 * provider, sees confirmed then concierge_assigned, moves the dates (re-priced), cancels and
 * ends refunded with the amount of pricing's policy; the history shows every step.
 */
import {
  addConcierge,
  at,
  call,
  createItem,
  eventually,
  guest,
  startStack,
  token,
  type Stack,
} from '../harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('booking journey', () => {
  it('takes a guest from quote to refunded with every step in the history', async () => {
    const item = await createItem(stack, { location: 'monaco' });
    await addConcierge(stack, 'conc-monaco', 'monaco');
    const start = at(10);
    const end = at(12);

    const quote = await call(stack, 'POST', '/v1/quotes', { body: { itemId: item.id, start, end } });
    expect(quote.status).toBe(200);
    const hold = await call(stack, 'POST', '/v1/holds', { body: { itemId: item.id, start, end } });
    expect(hold.status).toBe(201);

    const created = await call(stack, 'POST', '/v1/bookings', {
      body: { itemId: item.id, start, end, holdId: hold.body.id, holdToken: hold.body.holdToken, guest },
      headers: { 'Idempotency-Key': 'journey-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending_payment',
      payment: { provider: 'local', status: 'pending' },
    });
    expect(created.body.price.total).toBe(quote.body.total);
    const { id, accessToken } = created.body as { id: string; accessToken: string };
    expect(accessToken).toEqual(expect.any(String));
    const q = `?accessToken=${encodeURIComponent(accessToken)}`;

    const paid = await call(stack, 'POST', `/v1/payments/local/${id}/confirm${q}`);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      status: 'concierge_assigned',
      conciergeId: 'conc-monaco',
      paid: quote.body.total,
    });

    const newStart = at(20);
    const newEnd = at(23);
    const moved = await call(stack, 'PATCH', `/v1/bookings/${id}${q}`, {
      body: { start: newStart, end: newEnd },
    });
    // A higher price waits for its difference; the booking keeps its dates until it is paid.
    expect(moved.status).toBe(202);
    expect(moved.body.pendingChange.start).toBe(newStart);
    expect(moved.body.pendingChange.price.total).toBeGreaterThan(quote.body.total);
    expect(moved.body.payment).toMatchObject({
      provider: 'local',
      status: 'pending',
      amount: moved.body.pendingChange.price.total - quote.body.total,
    });
    expect(moved.body.booking.start).not.toBe(newStart);
    const extra = await call(stack, 'POST', `/v1/payments/local/${id}/confirm${q}`);
    expect(extra.body.paid).toBe(moved.body.pendingChange.price.total);
    expect(extra.body.start).toBe(newStart);

    const admin = await token({ role: 'admin', sub: 'admin-1' });
    const seenByAdmin = await call(stack, 'GET', `/v1/bookings/${id}`, { token: admin });
    expect(seenByAdmin.body).toMatchObject({ status: 'concierge_assigned', guest: { email: guest.email } });

    const cancelled = await call(stack, 'POST', `/v1/bookings/${id}/cancel${q}`, {
      body: { reason: 'plans changed' },
      headers: { 'Idempotency-Key': 'journey-cancel' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('refunded');
    const history = await call(stack, 'GET', `/v1/bookings/${id}/history${q}`);
    expect(history.status).toBe(200);
    const entries = history.body.items as {
      kind: string;
      to?: string;
      actor: { role: string };
      at: string;
      details?: { refund?: number };
    }[];
    const statuses = entries.filter((e) => e.kind === 'status').map((e) => e.to);
    expect(statuses).toEqual(['pending_payment', 'confirmed', 'concierge_assigned', 'cancelled', 'refunded']);
    const cancelEntry = entries.find((e) => e.to === 'cancelled')!;
    expect(cancelEntry.actor.role).toBe('guest');
    // 20 days ahead, the default car policy refunds 100 % less its 2 % processing fee.
    const paidTotal = moved.body.pendingChange.price.total as number;
    expect(cancelled.body.refunded).toBe(cancelEntry.details!.refund);
    expect(Math.abs((cancelled.body.refunded as number) - paidTotal * 0.98)).toBeLessThanOrEqual(1);
    expect(entries.some((e) => e.kind === 'modification')).toBe(true);
    expect(entries.filter((e) => e.kind === 'payment').length).toBeGreaterThanOrEqual(3);
    for (const e of entries) {
      expect(e.actor.role).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    }
    await eventually(
      async () => (await call(stack, 'GET', `/v1/bookings/${id}${q}`)).body.status === 'refunded',
    );
  });

  it('sums the window in the admin analytics: statuses, types, revenue, refunds and hold conversion', async () => {
    const admin = await token({ role: 'admin', sub: 'admin-1' });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = at(60);
    const summary = await eventually(async () => {
      const res = await call(stack, 'GET', `/v1/analytics/summary?from=${from}&to=${to}`, { token: admin });
      return res.body.holdConversion?.converted >= 1 ? res : undefined;
    });
    expect(summary.status).toBe(200);
    expect(summary.body.bookings.byStatus).toMatchObject({ refunded: 1 });
    expect(summary.body.bookings.byType).toMatchObject({ car: 1 });
    expect(summary.body.revenue).toEqual([{ currency: 'EUR', amount: expect.any(Number) }]);
    const refunded = summary.body.refunds[0].amount as number;
    expect(refunded).toBeGreaterThan(0);
    expect(refunded).toBeLessThan(summary.body.revenue[0].amount);
    expect(summary.body.holdConversion).toMatchObject({ holds: 1, converted: 1, rate: 1 });
    expect(summary.body.noShowRate).toBeNull();
    expect(
      (await call(stack, 'GET', `/v1/analytics/summary?from=${to}&to=${from}`, { token: admin })).status,
    ).toBe(422);
  });
});
