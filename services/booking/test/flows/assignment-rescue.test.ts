/**
 * Nobody stranded: a confirmed booking that found no concierge is assigned as soon as one with
 * room appears (through the staff API, not by running the sweep), admins are emailed at a real
 * SMTP server while it waits close to its start, an admin assigns and reassigns by hand with the
 * reason in its history, and a concierge checking in an unassigned booking takes it.
 */
import { startService, type RunningService } from '@midas/runtime';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import { addConcierge, at, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let notification: RunningService;
let smtp: SmtpSink;
const LOCATION = 'porto-cervo';

beforeAll(async () => {
  smtp = await startSmtpSink();
  stack = await startStack(
    { UNASSIGNED_ALERT_HOURS: '48', ADMIN_EMAILS: 'ops@midas.test, owner@midas.test' },
    // A sweep far away: whatever assigns within the test is the reaction to the staff change.
    { scheduler: { assignmentSweepEveryMs: 600_000 } },
  );
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 } }),
    { ...stack.env.cfg, SMTP_URL: smtp.url },
    { port: 0 },
  );
}, 120_000);
afterAll(async () => {
  // The notification's queues go with the namespace when the stack cleans up.
  await notification?.stop();
  await stack?.stop();
  await smtp?.close();
});

const root = () => token({ role: 'super_admin', sub: 'root' });
const admin = () => token({ role: 'admin', sub: 'admin-rescue' });

async function confirmedBooking(itemId: string, start: string, end: string, customer: string) {
  const alice = await token({ role: 'customer', sub: customer });
  const created = await call(stack, 'POST', '/v1/bookings', { token: alice, body: { itemId, start, end } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const paid = await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: alice });
  expect(paid.status).toBe(200);
  return { id, customer: alice, body: paid.body };
}

async function booking(id: string) {
  const res = await call(stack, 'GET', `/v1/bookings/${id}`, { token: await admin() });
  expect(res.status).toBe(200);
  return res.body;
}

async function gauge(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${stack.booking.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('midas_bookings_unassigned_near_start'));
  return Number(line?.split(' ')[1]);
}

let itemId: string;
let stranded: string;

it('alerts admins by email and metric while a confirmed booking near its start has no concierge', async () => {
  itemId = (await createItem(stack, { location: LOCATION })).id;
  const made = await confirmedBooking(itemId, at(1), at(2), 'alice-rescue');
  stranded = made.id;
  expect(made.body).toMatchObject({ status: 'confirmed' });
  expect(made.body.conciergeId ?? null).toBeNull();
  expect(await gauge()).toBe(1);

  // A concierge without room changes nothing for the booking, but the rescue run it causes
  // finds the booking still waiting within UNASSIGNED_ALERT_HOURS and tells the admins.
  await addConcierge(stack, 'no-room', 'elsewhere', 0);
  const mail = await eventually(
    async () => smtp.received.find((m) => m.subject?.startsWith('No concierge yet')),
    20_000,
  );
  const rcpt = smtp.recipients[smtp.received.indexOf(mail)];
  expect(rcpt?.sort()).toEqual(['ops@midas.test', 'owner@midas.test']);
  expect(mail.text).toContain(`starts within 48 hours and no concierge has room to take it`);
  expect(mail.text).toContain(`/v1/bookings/${stranded}/assign`);
  expect((await booking(stranded)).status).toBe('confirmed');

  // Once: a second staff change does not email again.
  await call(stack, 'PATCH', '/v1/staff/concierges/no-room', {
    token: await root(),
    body: { name: 'Still full' },
  });
  await new Promise((r) => setTimeout(r, 1500));
  expect(smtp.received.filter((m) => m.subject?.startsWith('No concierge yet'))).toHaveLength(1);

  // The alert is staff-only in the booking's history.
  const history = await eventually(async () => {
    const res = await call(stack, 'GET', `/v1/bookings/${stranded}/history?limit=100`, {
      token: await admin(),
    });
    const items = res.body.items as { kind: string; template?: string }[];
    return items.some((e) => e.template === 'staff_unassigned_booking') && items;
  }, 20_000);
  expect(history.length).toBeGreaterThan(0);
  const own = await call(stack, 'GET', `/v1/bookings/${stranded}/history?limit=100`, {
    token: made.customer,
  });
  expect(
    (own.body.items as { template?: string }[]).some((e) => e.template === 'staff_unassigned_booking'),
  ).toBe(false);
}, 60_000);

it('assigns the waiting booking within a minute of a concierge with room being added', async () => {
  const added = Date.now();
  await addConcierge(stack, 'rescuer', LOCATION, 2);
  const assigned = await eventually(async () => {
    const b = await booking(stranded);
    return b.status === 'concierge_assigned' && b;
  }, 60_000);
  expect(Date.now() - added).toBeLessThan(60_000);
  expect(assigned.conciergeId).toBe('rescuer');
  expect(await gauge()).toBe(0);
  const history = await call(stack, 'GET', `/v1/bookings/${stranded}/history?limit=100`, {
    token: await admin(),
  });
  expect(history.body.items).toContainEqual(
    expect.objectContaining({
      kind: 'status',
      from: 'confirmed',
      to: 'concierge_assigned',
      reason: 'least_loaded_at_location',
    }),
  );
}, 90_000);

it('lets an admin reassign by hand with the reason recorded, and by the rule without an id', async () => {
  await addConcierge(stack, 'second', LOCATION, 2);
  const moved = await call(stack, 'POST', `/v1/bookings/${stranded}/assign`, {
    token: await admin(),
    body: { conciergeId: 'second', reason: 'guest asked for an Italian speaker' },
  });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ status: 'concierge_assigned', conciergeId: 'second' });

  const staff = await call(stack, 'GET', `/v1/staff/concierges?location=${LOCATION}`, {
    token: await root(),
  });
  const load = Object.fromEntries(
    (staff.body.items as { id: string; activeAssignments: number }[]).map((c) => [c.id, c.activeAssignments]),
  );
  expect(load).toEqual({ rescuer: 0, second: 1 });

  const history = await call(stack, 'GET', `/v1/bookings/${stranded}/history?limit=100`, {
    token: await admin(),
  });
  expect(history.body.items).toContainEqual(
    expect.objectContaining({
      kind: 'status',
      from: 'concierge_assigned',
      to: 'concierge_assigned',
      reason: 'guest asked for an Italian speaker',
      actor: expect.objectContaining({ role: 'admin', id: 'admin-rescue' }),
    }),
  );

  // Without an id: the automatic rule, never the current concierge.
  const back = await call(stack, 'POST', `/v1/bookings/${stranded}/assign`, {
    token: await admin(),
    body: {},
  });
  expect(back.status).toBe(200);
  expect(back.body.conciergeId).toBe('rescuer');
}, 30_000);

it('refuses a manual assignment that cannot be done, changing nothing', async () => {
  const customer = await token({ role: 'customer', sub: 'alice-rescue' });
  const url = `/v1/bookings/${stranded}/assign`;
  expect((await call(stack, 'POST', url, { token: customer, body: {} })).status).toBe(403);
  expect((await call(stack, 'POST', url, { body: {} })).status).toBe(401);
  const unknown = await call(stack, 'POST', url, { token: await admin(), body: { conciergeId: 'nobody' } });
  expect(unknown.status).toBe(404);
  const extra = await call(stack, 'POST', url, {
    token: await admin(),
    body: { conciergeId: 'second', x: 1 },
  });
  expect(extra.status).toBe(400);
  const missing = await call(stack, 'POST', `/v1/bookings/${crypto.randomUUID()}/assign`, {
    token: await admin(),
    body: {},
  });
  expect(missing.status).toBe(404);
  const full = await call(stack, 'POST', url, { token: await admin(), body: { conciergeId: 'no-room' } });
  expect(full.status).toBe(409);
  expect(full.body.code).toBe('concierge_full');
  expect((await booking(stranded)).conciergeId).toBe('rescuer');

  const cancelled = await confirmedBooking(itemId, at(20), at(21), 'bob-rescue');
  expect(
    (
      await call(stack, 'POST', `/v1/bookings/${cancelled.id}/cancel`, {
        token: cancelled.customer,
        body: { reason: 'plans changed' },
      })
    ).status,
  ).toBe(200);
  const late = await call(stack, 'POST', `/v1/bookings/${cancelled.id}/assign`, {
    token: await admin(),
    body: {},
  });
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('not_assignable');
}, 30_000);

it('lets a concierge of the location check in an unassigned booking on its day, assigning them', async () => {
  // Nobody has room any more.
  for (const id of ['rescuer', 'second']) {
    const res = await call(stack, 'PATCH', `/v1/staff/concierges/${id}`, {
      token: await root(),
      body: { active: false },
    });
    expect(res.status).toBe(200);
  }
  const soon = new Date(Date.now() + 20 * 60_000).toISOString();
  const later = new Date(Date.now() + 5 * 3_600_000).toISOString();
  const today = await confirmedBooking(itemId, soon, later, 'carol-rescue');
  expect(today.body.status).toBe('confirmed');

  // The guest cannot check themselves in.
  const self = await call(stack, 'POST', `/v1/bookings/${today.id}/status`, {
    token: today.customer,
    body: { status: 'in_progress' },
  });
  expect(self.status).toBe(403);
  expect((await booking(today.id)).status).toBe('confirmed');

  await call(stack, 'PATCH', '/v1/staff/concierges/second', {
    token: await root(),
    body: { active: true, capacity: 0 },
  });
  const concierge = await token({ role: 'concierge', sub: 'second', location: LOCATION });
  const checkedIn = await call(stack, 'POST', `/v1/bookings/${today.id}/status`, {
    token: concierge,
    body: { status: 'in_progress' },
  });
  expect(checkedIn.status).toBe(200);
  expect(checkedIn.body).toMatchObject({ status: 'in_progress', conciergeId: 'second' });
  const history = await call(stack, 'GET', `/v1/bookings/${today.id}/history?limit=100`, {
    token: await admin(),
  });
  const steps = (history.body.items as { kind: string; from?: string; to?: string; reason?: string }[])
    .filter((e) => e.kind === 'status')
    .map((e) => [e.from, e.to, e.reason ?? null]);
  expect(steps.slice(-2)).toEqual([
    ['confirmed', 'concierge_assigned', 'assigned_at_check_in'],
    ['concierge_assigned', 'in_progress', null],
  ]);
}, 30_000);
