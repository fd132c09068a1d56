/**
 * Idempotency-Key on POST /v1/bookings and /cancel, called on the booking service directly so each
 * test can speak for a different client address: guests' keys are theirs alone, a replay answers
 * with working secrets that were never stored, and keys are forgotten after 24 hours.
 */
import { call, createItem, guest, at, type Stack } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import { type Json, type ProviderStack, startStripeStack } from '../support/payment-stack';

let ps: ProviderStack<FakeStripe>;
/** The booking service itself, which believes the client address its loopback caller forwards. */
let direct: Stack;

beforeAll(async () => {
  ps = await startStripeStack();
  direct = { ...ps.stack, base: `http://127.0.0.1:${ps.stack.booking.port}` };
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

const book = (ip: string, key: string, body: Json) =>
  call(direct, 'POST', '/v1/bookings', {
    body: { ...body, guest },
    headers: { 'Idempotency-Key': key, 'X-Forwarded-For': ip },
  });

async function keptBodies(key: string): Promise<unknown[]> {
  const { rows } = await ps.pool.query('SELECT response_body FROM booking.idempotency_keys WHERE key = $1', [
    key,
  ]);
  return rows.map((r: { response_body: unknown }) => r.response_body);
}

describe('Idempotency-Key of guests', () => {
  it('does not give a second guest with the same key and body the first guest booking or its token', async () => {
    const item = await createItem(ps.stack);
    const key = `shared-${Date.now()}`;
    const body = { itemId: item.id, start: at(30), end: at(31) };
    const first = await book('203.0.113.20', key, body);
    expect(first.status).toBe(201);
    expect(first.body.accessToken).toEqual(expect.any(String));
    const second = await book('198.51.100.20', key, body);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('slot_taken');
    expect(JSON.stringify(second.body)).not.toContain(first.body.accessToken);
    expect(JSON.stringify(second.body)).not.toContain(first.body.payment.clientSecret);
  });

  it('replays to the same guest the first answer with a working access token and client secret, storing neither', async () => {
    const item = await createItem(ps.stack);
    const key = `replay-${Date.now()}`;
    const body = { itemId: item.id, start: at(32), end: at(33) };
    const first = await book('203.0.113.21', key, body);
    expect(first.status).toBe(201);
    expect(first.body.payment.clientSecret).toEqual(expect.any(String));
    const again = await book('203.0.113.21', key, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    const kept = JSON.stringify(await keptBodies(key));
    expect(kept).toContain(first.body.id);
    expect(kept).not.toContain(first.body.accessToken);
    expect(kept).not.toContain(first.body.payment.clientSecret);

    const q = `?accessToken=${encodeURIComponent(again.body.accessToken)}`;
    const read = await call(direct, 'GET', `/v1/bookings/${first.body.id}${q}`);
    expect(read.status).toBe(200);
    expect(read.body.payment.clientSecret).toBe(first.body.payment.clientSecret);

    const cancelKey = `cancel-${Date.now()}`;
    const cancel = () =>
      call(direct, 'POST', `/v1/bookings/${first.body.id}/cancel${q}`, {
        body: { reason: 'plans changed' },
        headers: { 'Idempotency-Key': cancelKey, 'X-Forwarded-For': '203.0.113.21' },
      });
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    expect(await cancel()).toEqual(cancelled);
  });

  it('forgets a key after 24 hours: the same key then makes a new booking', async () => {
    const item = await createItem(ps.stack);
    const key = `old-${Date.now()}`;
    const first = await book('203.0.113.22', key, { itemId: item.id, start: at(34), end: at(35) });
    expect(first.status).toBe(201);
    await ps.pool.query(
      "UPDATE booking.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1",
      [key],
    );
    // Any new key purges the expired ones.
    const other = await book('203.0.113.23', `other-${Date.now()}`, {
      itemId: item.id,
      start: at(36),
      end: at(37),
    });
    expect(other.status).toBe(201);
    expect(await keptBodies(key)).toEqual([]);
    const fresh = await book('203.0.113.22', key, { itemId: item.id, start: at(38), end: at(39) });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
  });
});
