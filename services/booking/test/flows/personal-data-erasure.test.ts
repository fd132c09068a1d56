/**
 * Erasure on request, through the gateway: a settled booking's guest name, email and phone are
 * gone from every schema of the database (booking's own tables, the communications record, the
 * webhook delivery log, every outbox), while its money, times and status history stay; one
 * customer's erasure covers their profile and all their bookings, or nothing while one of them
 * still needs the contact.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startService, type RunningService } from '@midas/runtime';
import { bearer } from '@midas/testing';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import { at, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let notification: RunningService;
let smtp: SmtpSink;
let receiver: http.Server;
let db: pg.Pool;
const received: string[] = [];

const guest = { name: 'Erin Erasure', email: 'erin.erasure@example.com', phone: '+44 7700 900123' };
const profile = { name: 'Felix Forget', email: 'felix.forget@example.com', phone: '+49 151 2345678' };

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  stack = await startStack({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 } }),
    { ...stack.env.cfg, SMTP_URL: smtp.url },
    { port: 0 },
  );
  db = new pg.Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 2 });
  // An integrator that asked for personal data: its delivery log holds the guest's contact.
  const hook = await fetch(`http://127.0.0.1:${notification.port}/v1/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(await admin()) },
    body: JSON.stringify({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      events: ['booking.created', 'booking.confirmed', 'booking.cancelled'],
      includePersonalData: true,
    }),
  });
  expect(hook.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await db?.end();
  await notification?.stop();
  await stack?.stop();
  await smtp?.close();
  await new Promise((r) => receiver?.close(r));
});

const admin = () => token({ role: 'admin', sub: 'admin-erasure' });

/** Every text or JSON value, in every table of every schema, that contains one of `needles`. */
async function copiesOf(needles: string[]): Promise<string[]> {
  const columns = await db.query<{ table_schema: string; table_name: string; column_name: string }>(`
    SELECT c.table_schema, c.table_name, c.column_name
      FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE'
       AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`);
  const found: string[] = [];
  for (const c of columns.rows) {
    const where = needles.map((_, i) => `"${c.column_name}"::text ILIKE $${i + 1}`).join(' OR ');
    const res = await db.query(
      `SELECT count(*)::int AS n FROM "${c.table_schema}"."${c.table_name}" WHERE ${where}`,
      needles.map((n) => `%${n}%`),
    );
    if (res.rows[0].n > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return found;
}

/** Waits until no copy of `needles` is left (the erasure event has gone round), or says where. */
async function copiesLeft(needles: string[], timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await copiesOf(needles);
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function money(bookingId: string) {
  const res = await db.query(
    `SELECT kind, purpose, provider, amount, currency, status, captured_amount
       FROM booking.payments WHERE booking_id = $1 ORDER BY created_at, id`,
    [bookingId],
  );
  return res.rows;
}

async function statuses(bookingId: string) {
  const res = await db.query(
    'SELECT from_status, to_status, reason FROM booking.status_history WHERE booking_id = $1 ORDER BY id',
    [bookingId],
  );
  return res.rows;
}

async function paidBooking(body: Record<string, unknown>, who?: string) {
  const created = await call(stack, 'POST', '/v1/bookings', { token: who, body });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const q = who ? '' : `?accessToken=${created.body.accessToken}`;
  expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm${q}`, { token: who })).status).toBe(
    200,
  );
  return { id, accessToken: created.body.accessToken as string | undefined };
}

async function refunded(id: string) {
  const res = await call(stack, 'POST', `/v1/bookings/${id}/cancel`, {
    token: await admin(),
    body: { reason: 'guest asked' },
  });
  expect(res.status).toBe(200);
  await eventually(async () => {
    const b = await call(stack, 'GET', `/v1/bookings/${id}`, { token: await admin() });
    return b.body.status === 'refunded';
  }, 20_000);
}

let itemId: string;
let erased: string;

it('refuses to erase a booking that is not settled yet, changing nothing', async () => {
  itemId = (await createItem(stack, { location: 'zermatt' })).id;
  const made = await paidBooking({ itemId, start: at(5), end: at(6), guest });
  erased = made.id;
  // The confirmation reached the guest and the integrator: both are copies to erase later.
  await eventually(async () => smtp.recipients.some((r) => r.includes(guest.email)), 20_000);
  await eventually(async () => received.some((b) => b.includes(guest.email)), 20_000);

  const refused = await call(stack, 'DELETE', `/v1/bookings/${erased}`, { token: await admin() });
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('not_settled');
  const still = await call(stack, 'GET', `/v1/bookings/${erased}`, { token: await admin() });
  expect(still.body.guest).toMatchObject({ name: guest.name, email: guest.email });
}, 60_000);

it('refuses erasure to anyone but an admin, and answers 404 and 400 for unknown and malformed ids', async () => {
  const customer = await token({ role: 'customer', sub: 'someone' });
  const concierge = await token({ role: 'concierge', sub: 'c1', location: 'zermatt' });
  expect((await call(stack, 'DELETE', `/v1/bookings/${erased}`)).status).toBe(401);
  expect((await call(stack, 'DELETE', `/v1/bookings/${erased}`, { token: customer })).status).toBe(403);
  expect((await call(stack, 'DELETE', `/v1/bookings/${erased}`, { token: concierge })).status).toBe(403);
  const unknown = await call(stack, 'DELETE', `/v1/bookings/${crypto.randomUUID()}`, {
    token: await admin(),
  });
  expect(unknown.status).toBe(404);
  const bad = await call(stack, 'DELETE', '/v1/bookings/not-a-uuid', { token: await admin() });
  expect(bad.status).toBe(400);
  expect(bad.body.type).toBeDefined();
  expect((await call(stack, 'DELETE', '/v1/customers/x/personal-data', { token: customer })).status).toBe(
    403,
  );
}, 30_000);

it('erases a settled booking: no personal data left in any schema, money, times and history intact', async () => {
  await refunded(erased);
  // The cancellation mail has gone out too before we look.
  await eventually(
    async () => smtp.received.filter((_, n) => smtp.recipients[n]?.includes(guest.email)).length >= 2,
    20_000,
  );
  const before = (await call(stack, 'GET', `/v1/bookings/${erased}`, { token: await admin() })).body;
  const paymentsBefore = await money(erased);
  const historyBefore = await statuses(erased);
  expect(paymentsBefore.length).toBeGreaterThanOrEqual(2);
  expect(await copiesOf([guest.email])).not.toEqual([]);

  const res = await call(stack, 'DELETE', `/v1/bookings/${erased}`, { token: await admin() });
  expect(res.status).toBe(204);

  // Every service has dropped its copies once the event went round.
  const needles = [guest.email, guest.name, guest.phone];
  expect(await copiesLeft(needles)).toEqual([]);

  const after = (await call(stack, 'GET', `/v1/bookings/${erased}`, { token: await admin() })).body;
  expect(after.guest ?? null).toBeNull();
  for (const field of ['status', 'start', 'end', 'price', 'total', 'currency', 'itemId'] as const) {
    expect(after[field]).toEqual(before[field]);
  }
  expect(await money(erased)).toEqual(paymentsBefore);
  expect(await statuses(erased)).toEqual([
    ...historyBefore,
    { from_status: 'refunded', to_status: 'refunded', reason: 'personal_data_erased' },
  ]);
  // The communications record keeps what was sent and when, without the address or the body.
  const record = await db.query(
    'SELECT template, recipient, status, body_text FROM notification.communications WHERE booking_id = $1',
    [erased],
  );
  expect(record.rows.length).toBeGreaterThanOrEqual(2);
  for (const row of record.rows) {
    expect(row.recipient).toBe('');
    expect(row.status).toBe('sent');
  }

  // Again: nothing more to do, nothing more recorded.
  expect((await call(stack, 'DELETE', `/v1/bookings/${erased}`, { token: await admin() })).status).toBe(204);
  expect((await statuses(erased)).length).toBe(historyBefore.length + 1);
}, 90_000);

it("erases a customer's profile and every booking of theirs, or nothing while one is still live", async () => {
  const sub = 'felix-erasure';
  const felix = await token({ role: 'customer', sub });
  expect((await call(stack, 'PUT', '/v1/me/profile', { token: felix, body: profile })).status).toBe(200);
  const first = await paidBooking({ itemId, start: at(8), end: at(9) }, felix);
  const second = await paidBooking({ itemId, start: at(11), end: at(12) }, felix);
  await refunded(first.id);
  await eventually(async () => smtp.recipients.some((r) => r.includes(profile.email)), 20_000);

  const refused = await call(stack, 'DELETE', `/v1/customers/${sub}/personal-data`, { token: await admin() });
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('bookings_not_settled');
  expect(refused.body.bookingIds).toEqual([second.id]);
  // Nothing was erased, not even the settled booking.
  expect((await call(stack, 'GET', '/v1/me/profile', { token: felix })).body).toMatchObject(profile);
  const firstView = await call(stack, 'GET', `/v1/bookings/${first.id}`, { token: await admin() });
  expect(firstView.body.guest).toMatchObject({ email: profile.email });

  await refunded(second.id);
  const paymentsBefore = [await money(first.id), await money(second.id)];
  const res = await call(stack, 'DELETE', `/v1/customers/${sub}/personal-data`, { token: await admin() });
  expect(res.status).toBe(204);
  expect(await copiesLeft([profile.email, profile.name, profile.phone])).toEqual([]);
  expect([await money(first.id), await money(second.id)]).toEqual(paymentsBefore);
  // The customer's own bookings are still theirs, and their standing is kept.
  const mine = await call(stack, 'GET', `/v1/bookings/${second.id}`, { token: felix });
  expect(mine.status).toBe(200);
  expect(mine.body.status).toBe('refunded');
  // A customer with nothing on file is erased trivially.
  expect(
    (await call(stack, 'DELETE', '/v1/customers/nobody-here/personal-data', { token: await admin() })).status,
  ).toBe(204);
}, 120_000);
