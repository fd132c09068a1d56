/**
 * Signed-in customers are written to like guests: a booking made without contact details takes
 * the customer's profile (or, until one is saved, the token's email and name claims), and the
 * confirmation and the reminder reach a real SMTP server; a saved profile reaches bookings not
 * yet over. GET/PUT /v1/me/profile through the gateway, with its failure paths.
 */
import { startService, type RunningService } from '@midas/runtime';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import { call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let notification: RunningService;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Reminders 30 s before the start, so one falls due while the test runs.
  stack = await startStack({ REMINDER_OFFSETS: '30s' });
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 } }),
    { ...stack.env.cfg, SMTP_URL: smtp.url },
    { port: 0 },
  );
}, 120_000);
afterAll(async () => {
  await notification?.stop();
  await stack?.stop();
  await smtp?.close();
});

const mailTo = (address: string) => smtp.received.filter((_m, i) => smtp.recipients[i]?.includes(address));

async function paidBooking(customer: string, start: Date, end: Date) {
  const item = await createItem(stack);
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: customer,
    body: { itemId: item.id, start: start.toISOString(), end: end.toISOString() },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: customer })).status).toBe(
    200,
  );
  return id;
}

it('emails the confirmation and the reminder of a signed-in customer, to their token email, then to their profile', async () => {
  const customer = await token({
    role: 'customer',
    sub: 'dana-contact',
    email: 'dana@example.com',
    name: 'Dana Ross',
  });
  const start = new Date(Date.now() + 75_000);
  const id = await paidBooking(customer, start, new Date(start.getTime() + 3_600_000));

  const [confirmation] = await eventually(async () => {
    const mails = mailTo('dana@example.com').filter((m) => m.subject?.startsWith('Confirmed:'));
    return mails.length > 0 && mails;
  }, 20_000);
  expect(confirmation?.text).toContain('Dear Dana,');

  // A profile saved now is where the reminder goes.
  const saved = await call(stack, 'PUT', '/v1/me/profile', {
    token: customer,
    body: { name: 'Dana Ross', email: 'dana.ross@example.org', phone: '+44 20 7946 0000' },
  });
  expect(saved.status).toBe(200);
  expect(saved.body).toEqual({
    name: 'Dana Ross',
    email: 'dana.ross@example.org',
    phone: '+44 20 7946 0000',
    source: 'profile',
  });

  const [reminder] = await eventually(async () => {
    const mails = mailTo('dana.ross@example.org').filter((m) => m.subject?.startsWith('In 30 seconds'));
    return mails.length > 0 && mails;
  }, 90_000);
  expect(reminder?.text).toContain('Dear Dana,');
  const view = await call(stack, 'GET', `/v1/bookings/${id}`, { token: customer });
  expect(view.body.guest).toMatchObject({ email: 'dana.ross@example.org' });
}, 150_000);

it('serves the token claims until a profile is saved, and refuses what it cannot use', async () => {
  const withClaims = await token({
    role: 'customer',
    sub: 'erin-contact',
    email: 'erin@example.com',
    name: 'Erin',
  });
  const claims = await call(stack, 'GET', '/v1/me/profile', { token: withClaims });
  expect(claims.status).toBe(200);
  expect(claims.body).toEqual({ name: 'Erin', email: 'erin@example.com', source: 'token' });

  const bare = await token({ role: 'customer', sub: 'frank-contact' });
  const none = await call(stack, 'GET', '/v1/me/profile', { token: bare });
  expect(none.status).toBe(404);

  expect((await call(stack, 'GET', '/v1/me/profile')).status).toBe(401);
  const admin = await token({ role: 'admin', sub: 'admin-contact' });
  expect((await call(stack, 'GET', '/v1/me/profile', { token: admin })).status).toBe(403);

  for (const body of [
    { name: 'Frank' },
    { name: 'Frank', email: 'not-an-address' },
    { name: '', email: 'frank@example.com' },
    { name: 'Frank', email: 'frank@example.com', phone: 'call me' },
    { name: 'Frank', email: 'frank@example.com', extra: true },
  ]) {
    const res = await call(stack, 'PUT', '/v1/me/profile', { token: bare, body });
    expect(res.status).toBe(400);
  }
  expect((await call(stack, 'GET', '/v1/me/profile', { token: bare })).status).toBe(404);
});

it('keeps the contact given with a booking for someone else when the profile changes', async () => {
  const customer = await token({ role: 'customer', sub: 'gina-contact', email: 'gina@example.com' });
  const item = await createItem(stack);
  const start = new Date(Date.now() + 5 * 86_400_000);
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: customer,
    body: {
      itemId: item.id,
      start: start.toISOString(),
      end: new Date(start.getTime() + 86_400_000).toISOString(),
      guest: { name: 'Hugo Friend', email: 'hugo@example.com', phone: '+33 6 12 34 56 78' },
    },
  });
  expect(created.status).toBe(201);
  await call(stack, 'PUT', '/v1/me/profile', {
    token: customer,
    body: { name: 'Gina', email: 'gina.new@example.com' },
  });
  const view = await call(stack, 'GET', `/v1/bookings/${created.body.id as string}`, { token: customer });
  expect(view.body.guest).toMatchObject({ name: 'Hugo Friend', email: 'hugo@example.com' });
});
