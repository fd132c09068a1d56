/**
 * Staff are told, at a real SMTP server: the concierge when a booking becomes theirs (assigned
 * automatically or by an admin), when it is handed to someone else ("no longer yours"), and when
 * their booking is changed or cancelled; all through the gateway, booking and notification.
 */
import type { ParsedMail } from 'mailparser';
import { startService, type RunningService } from '@midas/runtime';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import { addConcierge, at, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let notification: RunningService;
let smtp: SmtpSink;
const LOCATION = 'saint-tropez';

beforeAll(async () => {
  smtp = await startSmtpSink();
  stack = await startStack({ ADMIN_EMAILS: 'ops@midas.test' });
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

const admin = () => token({ role: 'admin', sub: 'admin-staff-mail' });

/** The mails sent to `address` whose subject starts with `prefix`, waited for until there is one. */
async function mailTo(address: string, prefix: string): Promise<ParsedMail> {
  return eventually(async () => {
    const i = smtp.received.findIndex(
      (m, n) => m.subject?.startsWith(prefix) && smtp.recipients[n]?.includes(address),
    );
    return i >= 0 && smtp.received[i]!;
  }, 20_000);
}

function mailsTo(address: string, prefix: string): ParsedMail[] {
  return smtp.received.filter(
    (m, n) => m.subject?.startsWith(prefix) && smtp.recipients[n]?.includes(address),
  );
}

let itemId: string;
let bookingId: string;
let customer: string;

it('emails the concierge a booking is automatically assigned to, with the itinerary and the guest', async () => {
  await addConcierge(stack, 'anna', LOCATION, 5);
  itemId = (await createItem(stack, { location: LOCATION, name: 'Riva Aquarama' })).id;
  customer = await token({
    role: 'customer',
    sub: 'carla-staff',
    email: 'carla@example.com',
    name: 'Carla Conti',
  });
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: customer,
    body: { itemId, start: at(10), end: at(11) },
  });
  expect(created.status).toBe(201);
  bookingId = created.body.id as string;
  expect(
    (await call(stack, 'POST', `/v1/payments/local/${bookingId}/confirm`, { token: customer })).status,
  ).toBe(200);

  const mail = await mailTo('anna@midas.test', 'New booking for you');
  expect(mail.subject).toContain('Riva Aquarama');
  expect(mail.text).toContain('Dear Concierge,');
  expect(mail.text).toContain('is now assigned to you');
  expect(mail.text).toContain('Carla Conti, carla@example.com');
  // The customer is not copied on staff mail, and the admins are not told of a routine assignment.
  const n = smtp.received.indexOf(mail);
  expect(smtp.recipients[n]).toEqual(['anna@midas.test']);
  expect(mailsTo('ops@midas.test', 'New booking for you')).toHaveLength(0);

  // Staff-only in the booking's history.
  const own = await call(stack, 'GET', `/v1/bookings/${bookingId}/history?limit=100`, { token: customer });
  expect(own.status).toBe(200);
  expect((own.body.items as { template?: string }[]).some((e) => e.template?.startsWith('staff_'))).toBe(
    false,
  );
}, 60_000);

it('tells the new concierge it is theirs and the old one it is no longer theirs on a reassignment', async () => {
  await addConcierge(stack, 'bruno', LOCATION, 5);
  const moved = await call(stack, 'POST', `/v1/bookings/${bookingId}/assign`, {
    token: await admin(),
    body: { conciergeId: 'bruno', reason: 'speaks Italian' },
  });
  expect(moved.status).toBe(200);
  expect(moved.body.conciergeId).toBe('bruno');

  const theirs = await mailTo('bruno@midas.test', 'New booking for you');
  expect(theirs.text).toContain('Reason: speaks Italian.');
  const released = await mailTo('anna@midas.test', 'No longer yours');
  expect(released.text).toContain('was handed to another concierge. Reason: speaks Italian.');
  expect(released.subject).toContain('Riva Aquarama');
  // Anna got one assignment mail in all, Bruno no release.
  expect(mailsTo('anna@midas.test', 'New booking for you')).toHaveLength(1);
  expect(mailsTo('bruno@midas.test', 'No longer yours')).toHaveLength(0);
}, 60_000);

it('tells the assigned concierge when their booking is changed, with the dates it replaces', async () => {
  const changed = await call(stack, 'PATCH', `/v1/bookings/${bookingId}`, {
    token: customer,
    body: { start: at(12), end: at(13) },
  });
  expect(changed.status).toBe(200);
  const mail = await mailTo('bruno@midas.test', 'Booking changed');
  expect(mail.text).toContain('was changed');
  expect(mail.text).toContain('It replaces');
  expect(mailsTo('anna@midas.test', 'Booking changed')).toHaveLength(0);
}, 60_000);

it('tells the assigned concierge when their booking is cancelled, and nobody when an unassigned one is', async () => {
  const cancelled = await call(stack, 'POST', `/v1/bookings/${bookingId}/cancel`, {
    token: customer,
    body: { reason: 'plans changed' },
  });
  expect(cancelled.status).toBe(200);
  const mail = await mailTo('bruno@midas.test', 'Booking cancelled');
  expect(mail.text).toContain('was cancelled. Reason: plans changed.');
  expect(mailsTo('anna@midas.test', 'Booking cancelled')).toHaveLength(0);

  // A booking never paid (so never assigned) is cancelled: no concierge hears of it.
  const unpaid = await call(stack, 'POST', '/v1/bookings', {
    token: customer,
    body: { itemId, start: at(20), end: at(21) },
  });
  expect(unpaid.status).toBe(201);
  const staffMail = () => smtp.received.filter((m) => m.subject?.startsWith('Booking cancelled')).length;
  const before = staffMail();
  const customerMail = mailsTo('carla@example.com', 'Cancelled:').length;
  const gone = await call(stack, 'POST', `/v1/bookings/${unpaid.body.id}/cancel`, {
    token: customer,
    body: { reason: 'changed my mind' },
  });
  expect(gone.status).toBe(200);
  // The customer's own cancellation mail arrives; no staff mail comes with it.
  await eventually(async () => mailsTo('carla@example.com', 'Cancelled:').length > customerMail, 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  expect(staffMail()).toBe(before);
}, 60_000);
