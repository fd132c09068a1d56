/**
 * Route x role x ownership: every booking route refuses (404, never revealing) a booking that is
 * not the caller's, concierges see only their assignments and location, and bodies cannot set
 * status, price or owner.
 */
import { addConcierge, at, call, createItem, guest, startStack, token, type Stack } from '../harness';

let stack: Stack;
let bookingId: string;
let guestBookingId: string;
let guestAccess: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const item = await createItem(stack, { location: 'monaco' });
  await addConcierge(stack, 'conc-assigned', 'monaco', 5);
  await addConcierge(stack, 'conc-paris', 'paris', 5);
  t.alice = await token({ role: 'customer', sub: 'alice' });
  t.bob = await token({ role: 'customer', sub: 'bob' });
  t.concAssigned = await token({ role: 'concierge', sub: 'conc-assigned', location: 'monaco' });
  t.concSameLocation = await token({ role: 'concierge', sub: 'conc-other-monaco', location: 'monaco' });
  t.concParis = await token({ role: 'concierge', sub: 'conc-paris', location: 'paris' });
  t.admin = await token({ role: 'admin', sub: 'admin-1' });
  t.root = await token({ role: 'super_admin', sub: 'root' });

  const created = await call(stack, 'POST', '/v1/bookings', {
    token: t.alice,
    body: { itemId: item.id, start: at(5), end: at(6) },
  });
  expect(created.status).toBe(201);
  bookingId = created.body.id;
  const paid = await call(stack, 'POST', `/v1/payments/local/${bookingId}/confirm`, { token: t.alice });
  expect(paid.body).toMatchObject({ status: 'concierge_assigned', conciergeId: 'conc-assigned' });

  const g = await call(stack, 'POST', '/v1/bookings', {
    body: { itemId: item.id, start: at(8), end: at(9), guest },
  });
  expect(g.status).toBe(201);
  guestBookingId = g.body.id;
  guestAccess = g.body.accessToken;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const outsiders: [string, () => string | undefined][] = [
  ['another customer', () => t.bob],
  ['a concierge elsewhere, not assigned', () => t.concParis],
  ['a guest without the access token', () => undefined],
];

/** Every route that addresses one booking, with a harmless valid body. */
const routes: [string, string, (id: string) => string, unknown][] = [
  ['read', 'GET', (id) => `/v1/bookings/${id}`, undefined],
  ['modify', 'PATCH', (id) => `/v1/bookings/${id}`, { start: at(30), end: at(31) }],
  ['change status', 'POST', (id) => `/v1/bookings/${id}/status`, { status: 'ready' }],
  ['cancel', 'POST', (id) => `/v1/bookings/${id}/cancel`, { reason: 'not mine' }],
  ['read history', 'GET', (id) => `/v1/bookings/${id}/history`, undefined],
  ['confirm payment', 'POST', (id) => `/v1/payments/local/${id}/confirm`, undefined],
];

describe('access matrix', () => {
  describe.each(outsiders)('%s', (_who, who) => {
    it.each(routes)('cannot %s the booking: 404 and nothing changes', async (_what, method, path, body) => {
      const before = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: t.admin });
      const res = await call(stack, method, path(bookingId), { token: who(), body });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('alice');
      const after = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: t.admin });
      expect(after.body).toEqual(before.body);
    });

    it.each(routes)("cannot %s a guest's booking without its token", async (_what, method, path, body) => {
      const res = await call(stack, method, path(guestBookingId), { token: who(), body });
      expect(res.status).toBe(404);
    });
  });

  it('shows the booking to its owner, the assigned concierge, a concierge of its location and admins', async () => {
    for (const who of [t.alice, t.concAssigned, t.concSameLocation, t.admin]) {
      const res = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: who });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(bookingId);
      expect((await call(stack, 'GET', `/v1/bookings/${bookingId}/history`, { token: who })).status).toBe(
        200,
      );
    }
    const asGuest = await call(stack, 'GET', `/v1/bookings/${guestBookingId}?accessToken=${guestAccess}`);
    expect(asGuest.status).toBe(200);
    expect(asGuest.body.guest).toEqual(guest);
    expect(
      (await call(stack, 'GET', `/v1/bookings/${guestBookingId}?accessToken=${'x'.repeat(43)}`)).status,
    ).toBe(404);
  });

  it('lists only what each caller may see, whatever the filters say', async () => {
    const ids = async (who: string | undefined, query = '') => {
      const res = await call(stack, 'GET', `/v1/bookings${query}`, { token: who });
      return res.status === 200 ? (res.body.items as { id: string }[]).map((b) => b.id) : res.status;
    };
    expect(await ids(t.alice)).toEqual([bookingId]);
    expect(await ids(t.bob)).toEqual([]);
    expect(await ids(t.bob, '?customerId=alice')).toEqual([]);
    expect(await ids(t.concParis)).toEqual([]);
    expect(await ids(t.concAssigned)).toContain(bookingId);
    expect(await ids(t.concSameLocation)).toContain(bookingId);
    expect(await ids(t.admin)).toEqual(expect.arrayContaining([bookingId, guestBookingId]));
    expect(await ids(undefined)).toBe(401);
    const mine = await call(stack, 'GET', '/v1/me/bookings', { token: t.alice });
    expect((mine.body.items as { id: string }[]).map((b) => b.id)).toEqual([bookingId]);
    expect((await call(stack, 'GET', '/v1/me/bookings', { token: t.bob })).body.items).toEqual([]);
  });

  it('filters and pages the list for staff', async () => {
    const byStatus = await call(stack, 'GET', '/v1/bookings?status=pending_payment', { token: t.admin });
    expect((byStatus.body.items as { id: string }[]).map((b) => b.id)).toEqual([guestBookingId]);
    const byQuery = await call(stack, 'GET', '/v1/bookings?q=grace', { token: t.admin });
    expect((byQuery.body.items as { id: string }[]).map((b) => b.id)).toEqual([guestBookingId]);
    const first = await call(stack, 'GET', '/v1/bookings?limit=1', { token: t.admin });
    expect(first.body.items).toHaveLength(1);
    const second = await call(stack, 'GET', `/v1/bookings?limit=1&cursor=${first.body.nextCursor}`, {
      token: t.admin,
    });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await call(stack, 'GET', '/v1/bookings?cursor=bogus', { token: t.admin })).status).toBe(400);
    expect((await call(stack, 'GET', '/v1/bookings?status=lost', { token: t.admin })).status).toBe(400);
  });

  it('answers 400, never 500, to forged cursors on every paged booking list', async () => {
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const forged = [
      forge({ at: 'not-a-time', kind: 'status', id: '1' }),
      forge({ at: '2030-01-01T00:00:00Z', kind: "status'; --", id: '1' }),
      forge({ at: '2030-01-01T00:00:00Z', kind: 'status', id: 'a\u0000b' }),
      forge({ createdAt: 'yesterday', id: 'x' }),
      forge({ id: 'x'.repeat(5000) }),
      forge([1, 2, 3]),
      'bogus',
    ];
    const paths = [
      `/v1/bookings/${bookingId}/history`,
      '/v1/bookings',
      '/v1/me/bookings',
      '/v1/staff/concierges',
    ];
    for (const path of paths) {
      for (const cursor of forged) {
        const res = await call(stack, 'GET', `${path}?cursor=${encodeURIComponent(cursor)}`, {
          token: path.includes('/me/') ? t.alice : t.root,
        });
        expect([path, cursor.slice(0, 20), res.status]).toEqual([path, cursor.slice(0, 20), 400]);
      }
    }
  });

  it('lets a customer neither check in nor mark ready, and a concierge not invoke force majeure', async () => {
    for (const status of ['in_progress', 'ready']) {
      const res = await call(stack, 'POST', `/v1/bookings/${bookingId}/status`, {
        token: t.alice,
        body: { status },
      });
      expect(res.status).toBe(403);
    }
    const fm = await call(stack, 'POST', `/v1/bookings/${bookingId}/cancel`, {
      token: t.concAssigned,
      body: { reason: 'storm', forceMajeure: true },
    });
    expect(fm.status).toBe(403);
    expect((await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: t.alice })).body.status).toBe(
      'concierge_assigned',
    );
  });

  const massAssignment: [string, () => string, Record<string, unknown>, string][] = [
    ['POST', () => '/v1/bookings', { status: 'confirmed' }, 'status'],
    ['POST', () => '/v1/bookings', { price: { total: 1 } }, 'price'],
    ['POST', () => '/v1/bookings', { customerId: 'bob' }, 'customerId'],
    ['PATCH', () => `/v1/bookings/${bookingId}`, { status: 'completed' }, 'status'],
    ['PATCH', () => `/v1/bookings/${bookingId}`, { total: 1 }, 'total'],
    ['PATCH', () => `/v1/bookings/${bookingId}`, { customerId: 'bob' }, 'customerId'],
    ['POST', () => `/v1/bookings/${bookingId}/cancel`, { reason: 'x', refundAmount: 999999 }, 'refundAmount'],
    ['POST', () => `/v1/bookings/${bookingId}/status`, { status: 'ready', conciergeId: 'me' }, 'conciergeId'],
  ];
  it.each(massAssignment)(
    'refuses %s with a field it must not set (%#): 400, nothing changes',
    async (method, path, extra, field) => {
      const before = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: t.admin });
      const base =
        path() === '/v1/bookings' ? { itemId: before.body.itemId, start: at(40), end: at(41) } : {};
      const res = await call(stack, method, path(), { token: t.alice, body: { ...base, ...extra } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const after = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: t.admin });
      expect(after.body).toEqual(before.body);
    },
  );

  it('keeps analytics for admins and staff management for super admins', async () => {
    expect((await call(stack, 'GET', '/v1/analytics/summary')).status).toBe(401);
    expect((await call(stack, 'GET', '/v1/analytics/summary', { token: t.alice })).status).toBe(403);
    expect((await call(stack, 'GET', '/v1/analytics/summary', { token: t.concAssigned })).status).toBe(403);
    expect((await call(stack, 'GET', '/v1/analytics/summary', { token: t.admin })).status).toBe(200);
    expect((await call(stack, 'GET', '/v1/staff/concierges', { token: t.admin })).status).toBe(403);
    const list = await call(stack, 'GET', '/v1/staff/concierges', { token: t.root });
    expect((list.body.items as { id: string }[]).map((c) => c.id)).toEqual(['conc-assigned', 'conc-paris']);
  });
});
