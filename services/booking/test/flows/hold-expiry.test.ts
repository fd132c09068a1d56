/** An unpaid booking whose hold lapses becomes `expired` (from availability's hold.expired) and gives its slot back. */
import { Pool } from 'pg';
import { at, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let pool: Pool;

beforeAll(async () => {
  stack = await startStack({ HOLD_TTL_SECONDS: '10' });
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 1 });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

it('expires the unpaid booking when its hold lapses, frees the slot, and settles nothing afterwards', async () => {
  const item = await createItem(stack);
  const alice = await token({ role: 'customer', sub: 'alice' });
  const body = { itemId: item.id, start: at(4), end: at(5) };
  const created = await call(stack, 'POST', '/v1/bookings', { token: alice, body });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  await eventually(
    async () => (await call(stack, 'GET', `/v1/bookings/${id}`, { token: alice })).body.status === 'expired',
    40_000,
    250,
  );
  const history = await pool.query(
    'SELECT to_status, actor_role, reason FROM booking.status_history WHERE booking_id = $1 ORDER BY at',
    [id],
  );
  expect(history.rows.at(-1)).toEqual({ to_status: 'expired', actor_role: 'system', reason: 'hold_lapsed' });
  const charges = await pool.query(
    "SELECT status FROM booking.payments WHERE booking_id = $1 AND kind = 'charge'",
    [id],
  );
  expect(charges.rows).toEqual([{ status: 'cancelled' }]);

  // The slot is free again for someone else.
  const bob = await token({ role: 'customer', sub: 'bob' });
  expect((await call(stack, 'POST', '/v1/bookings', { token: bob, body })).status).toBe(201);
  // Nothing is pending any more, so the local confirm has nothing to settle and the booking stays expired.
  const late = await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: alice });
  expect(late.status).toBe(200);
  expect(late.body).toMatchObject({ status: 'expired', paid: 0 });
}, 60_000);
