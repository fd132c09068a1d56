/** The payment and refund gauges on booking's /metrics, read from what the payments really recorded. */
import { call, createItem, startStack, token, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function gauge(name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${stack.booking.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

it('counts a paid booking as a succeeded payment of its provider, with failures at zero, and no refund awaiting repair', async () => {
  const alice = await token({ role: 'customer', sub: 'alice-gauges' });
  const item = await createItem(stack);
  const start = Date.now() + 3 * 86_400_000;
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: alice,
    body: {
      itemId: item.id,
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000 * 24).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  const paid = await call(stack, 'POST', `/v1/payments/local/${created.body.id}/confirm`, { token: alice });
  expect(paid.status).toBe(200);
  expect(await gauge('midas_payment_outcomes', 'outcome="succeeded"')).toBe(1);
  expect(await gauge('midas_payment_outcomes', 'outcome="failed"')).toBe(0);
  expect(await gauge('midas_payment_outcomes', 'provider="local"')).toBeDefined();
  expect(await gauge('midas_refunds_awaiting_repair')).toBe(0);
});

it('shows every reconciliation difference kind at zero and no run yet before the daily job ran, so the alert has its series from the start', async () => {
  for (const kind of ['missing_in_ledger', 'missing_at_provider', 'amount', 'currency', 'status']) {
    expect(await gauge('midas_reconciliation_differences', `kind="${kind}"`)).toBe(0);
  }
  expect(await gauge('midas_reconciliation_differences', 'section="payments"')).toBe(0);
  expect(await gauge('midas_reconciliation_last_run_timestamp_seconds', 'section="payments"')).toBe(0);
});
