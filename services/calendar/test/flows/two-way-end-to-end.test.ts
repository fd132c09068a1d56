/**
 * End to end through the gateway, availability, pricing, booking and notification, with googleapis
 * against the local Calendar v3 server: an event someone puts in an item's Google calendar over a
 * confirmed booking blocks nothing, is kept in the booking's history, and is emailed (to a real
 * SMTP server) to the booking's concierge, or to the admins while it has none, once however often
 * it is read again; a booking's Midas event deleted in Google comes back and the booking's history
 * says so; a type's calendar is made once for many items; unlinking stops the channel and the
 * calendar's events stop blocking the item.
 */
import { Pool } from 'pg';
import { startService, type RunningService } from '@midas/runtime';
import { bearer, signToken, uniqueName } from '@midas/testing';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import {
  addConcierge,
  at,
  call,
  createItem,
  eventually,
  startStack,
  token,
  type Stack,
} from '../../../booking/test/harness';
import { googleEventId } from '../../src/domain/event-ids';
import { defineCalendarService } from '../../src/service';
import { GoogleFake, type FakeChannel } from '../support/google-fake';

const WEBHOOK = 'https://calendar.midas.example/v1/calendar/google/notifications';
const ADMINS = ['ops@midas.test', 'owner@midas.test'];

let stack: Stack;
let calendar: RunningService;
let notification: RunningService;
let smtp: SmtpSink;
let pool: Pool;
const google = new GoogleFake();
let message = 1;

beforeAll(async () => {
  await google.start();
  smtp = await startSmtpSink();
  stack = await startStack({ ...google.env, ADMIN_EMAILS: ADMINS.join(', ') });
  calendar = await startService(
    defineCalendarService({
      webhookUrl: WEBHOOK,
      sync: { attempts: 3, backoffMs: 100 },
      googleTimeoutMs: 2000,
    }),
    stack.env.cfg,
    { port: 0 },
  );
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 } }),
    { ...stack.env.cfg, SMTP_URL: smtp.url },
    { port: 0 },
  );
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 1 });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  // Calendar's and notification's queues go with the namespace when the stack cleans up.
  await notification?.stop();
  await calendar?.stop();
  await stack?.stop();
  await smtp?.close();
  await google.close();
});

const GOOGLE_CALENDARS = '/calendar/v3/calendars';
const calendarUrl = () => `http://127.0.0.1:${calendar.port}`;
const admin = () => token({ role: 'admin', sub: 'admin-conflicts' });

async function linkedCar(location: string) {
  const item = await createItem(stack, { location, name: uniqueName('Aston Martin DB12') });
  // Calendar learns of the item from item.created.
  const calendarId = `${uniqueName('cars')}@group.calendar.google.com`;
  const res = await eventually(async () => {
    const r = await fetch(`${calendarUrl()}/v1/calendar/links/${item.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(await admin()) },
      body: JSON.stringify({ calendarId }),
    });
    return r.status === 200 && r;
  }, 20_000);
  const link = (await res.json()) as { watch: { channelId: string } };
  const channel = google.channels.find((c) => c.id === link.watch.channelId)!;
  return { itemId: item.id, calendarId, channel };
}

async function confirmedBooking(itemId: string, start: string, end: string, customer: string) {
  const alice = await signToken({
    role: 'customer',
    sub: customer,
    name: 'Grace Guest',
    email: 'grace@example.com',
  });
  const created = await call(stack, 'POST', '/v1/bookings', { token: alice, body: { itemId, start, end } });
  expect(created).toMatchObject({ status: 201 });
  const id = created.body.id as string;
  expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: alice })).status).toBe(200);
  return id;
}

const notify = (channel: FakeChannel) =>
  google.notify(channel, 'exists', message++, {
    address: `${calendarUrl()}/v1/calendar/google/notifications`,
  });

const conflictMails = (bookingRef: string) =>
  smtp.received
    .map((mail, i) => ({ mail, to: smtp.recipients[i]! }))
    .filter(({ mail }) => mail.subject?.startsWith('Calendar conflict') && mail.text?.includes(bookingRef));

const reference = (bookingId: string) => bookingId.replace(/-/g, '').slice(0, 8).toUpperCase();

async function outsideBlackouts(itemId: string): Promise<number> {
  const res = await pool.query(
    `SELECT count(*)::int AS n FROM availability.allocations
      WHERE item_id = $1 AND kind = 'blackout' AND active AND created_by = 'calendar'`,
    [itemId],
  );
  return res.rows[0].n as number;
}

it('emails the admins about an outside event over a booking that has no concierge, blocks nothing and keeps it in the history', async () => {
  const { itemId, calendarId, channel } = await linkedCar('gstaad');
  const bookingId = await confirmedBooking(itemId, at(6), at(7), 'alice-conflict-admins');
  const clash = google.addExternal(calendarId, {
    summary: 'Dealer service <urgent>',
    start: { dateTime: at(6, '12:00') },
    end: { dateTime: at(6, '16:00') },
  });
  expect((await notify(channel)).status).toBe(200);

  const { mail, to } = await eventually(async () => conflictMails(reference(bookingId))[0], 30_000);
  expect(to.sort()).toEqual(ADMINS);
  expect(mail.subject).toContain('Calendar conflict:');
  expect(mail.text).toContain('Dear team,');
  expect(mail.text).toContain('"Dealer service <urgent>"');
  expect(mail.text).toContain(calendarId);
  expect(mail.text).toContain('Grace Guest, grace@example.com');
  // Times in the item's zone (Monaco, summer or winter time).
  expect(mail.text).toMatch(/from \w+ \d+ \w+ \d{4}, 1[34]:00 (CET|CEST|GMT\+\d)/);
  // What staff typed is escaped in the HTML part.
  expect(mail.html).toContain('Dealer service &lt;urgent&gt;');
  expect(mail.html).not.toContain('<urgent>');

  // Kept in the booking's history for staff, and no blackout was made.
  const history = await call(stack, 'GET', `/v1/bookings/${bookingId}/history?limit=100`, {
    token: await admin(),
  });
  const entries = history.body.items as { kind: string; googleEventId?: string; template?: string }[];
  expect(entries).toEqual(
    expect.arrayContaining([expect.objectContaining({ kind: 'calendar_conflict', googleEventId: clash.id })]),
  );
  expect(await outsideBlackouts(itemId)).toBe(0);
  // The message is in the booking's communications record, staff-only.
  await eventually(async () => {
    const res = await call(stack, 'GET', `/v1/bookings/${bookingId}/history?limit=100`, {
      token: await admin(),
    });
    return (res.body.items as { template?: string }[]).some((e) => e.template === 'staff_calendar_conflict');
  }, 20_000);

  // Read again (a redelivered push, the scheduled read): nobody is told twice.
  await notify(channel);
  await new Promise((r) => setTimeout(r, 1500));
  expect(conflictMails(reference(bookingId))).toHaveLength(1);
}, 90_000);

it("emails the booking's concierge, not the admins, once one is assigned", async () => {
  await addConcierge(stack, 'conflict-concierge', 'zermatt');
  const { itemId, calendarId, channel } = await linkedCar('zermatt');
  const bookingId = await confirmedBooking(itemId, at(6), at(7), 'bob-conflict-concierge');
  await eventually(async () => {
    const res = await call(stack, 'GET', `/v1/bookings/${bookingId}`, { token: await admin() });
    return res.body.conciergeId === 'conflict-concierge';
  }, 20_000);

  google.addExternal(calendarId, {
    summary: 'Owner takes the car',
    start: { date: at(6).slice(0, 10) },
    end: { date: at(7).slice(0, 10) },
  });
  await notify(channel);
  const { mail, to } = await eventually(async () => conflictMails(reference(bookingId))[0], 30_000);
  expect(to).toEqual(['conflict-concierge@midas.test']);
  expect(mail.text).toContain('Dear Concierge,');
  expect(mail.text).toContain('"Owner takes the car"');
  expect(await outsideBlackouts(itemId)).toBe(0);
}, 90_000);

it("puts back a booking's Midas event deleted in Google and records it in the booking's history, for staff only", async () => {
  const { calendarId, channel, itemId } = await linkedCar('portofino');
  const bookingId = await confirmedBooking(itemId, at(9), at(10), 'carla-put-back');
  const id = googleEventId('booking', bookingId);
  const cal = google.calendar(calendarId);
  await eventually(async () => cal.get(id)?.status === 'confirmed', 20_000);
  await eventually(async () => {
    const row = await pool.query('SELECT sync_state FROM calendar.entries WHERE ref = $1', [bookingId]);
    return row.rows[0]?.sync_state === 'synced';
  }, 20_000);
  const written = cal.get(id)!;

  google.edit(calendarId, id, { status: 'cancelled' });
  await notify(channel);
  await eventually(async () => cal.get(id)?.status === 'confirmed', 20_000);
  expect(cal.get(id)).toMatchObject({ start: written.start, end: written.end, summary: written.summary });

  const entries = await eventually(async () => {
    const res = await call(stack, 'GET', `/v1/bookings/${bookingId}/history?limit=100`, {
      token: await admin(),
    });
    const items = res.body.items as { kind: string; googleEventId?: string; summary?: string }[];
    return items.some((e) => e.kind === 'calendar_conflict') && items;
  }, 20_000);
  expect(entries.filter((e) => e.kind === 'calendar_conflict')).toEqual([
    expect.objectContaining({
      googleEventId: id,
      summary: expect.stringContaining('deleted in Google Calendar'),
    }),
  ]);
  const customer = await signToken({ role: 'customer', sub: 'carla-put-back' });
  const own = await call(stack, 'GET', `/v1/bookings/${bookingId}/history?limit=100`, { token: customer });
  expect((own.body.items as { kind: string }[]).map((e) => e.kind)).not.toContain('calendar_conflict');
  // Put right by Midas itself: nobody is emailed about it.
  await new Promise((r) => setTimeout(r, 1000));
  expect(conflictMails(reference(bookingId))).toHaveLength(0);
}, 90_000);

it("makes a type's calendar once for many items created through availability and linked at once", async () => {
  const before = google.calls.filter((c) => c.method === 'POST' && c.path === GOOGLE_CALENDARS).length;
  const yachts = await Promise.all(
    [1, 2, 3].map(() => createItem(stack, { type: 'yacht', location: 'antibes', name: uniqueName('Wally') })),
  );
  const answers = await Promise.all(
    yachts.map((y) =>
      eventually(async () => {
        const r = await fetch(`${calendarUrl()}/v1/calendar/links/${y.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...bearer(await admin()) },
          body: '{}',
        });
        return r.status === 200 && ((await r.json()) as { calendarId: string; shared: boolean });
      }, 20_000),
    ),
  );
  const calendarId = answers[0]!.calendarId;
  expect(answers.every((a) => a.calendarId === calendarId && a.shared)).toBe(true);
  expect([...google.made.values()].filter((c) => c.summary === 'Midas Yachts' && !c.deleted)).toHaveLength(1);
  expect(google.made.get(calendarId)).toMatchObject({ summary: 'Midas Yachts', deleted: false });
  const inserted = google.calls.filter((c) => c.method === 'POST' && c.path === GOOGLE_CALENDARS).length;
  // Items linked at once may race to make it; any extra one is deleted again.
  expect(inserted - before).toBeLessThanOrEqual(yachts.length);

  // A booking of one of them is written in the shared calendar.
  const bookingId = await confirmedBooking(yachts[1]!.id, at(11), at(12), 'dan-type-calendar');
  await eventually(
    async () => google.calendar(calendarId).get(googleEventId('booking', bookingId))?.status === 'confirmed',
    20_000,
  );
}, 90_000);

it("unlinks: the channel is stopped and the calendar's outside events no longer block the item", async () => {
  const { calendarId, channel, itemId } = await linkedCar('cannes');
  google.addExternal(calendarId, {
    summary: 'Sold elsewhere',
    start: { dateTime: at(13, '08:00') },
    end: { dateTime: at(13, '12:00') },
  });
  await notify(channel);
  await eventually(async () => (await outsideBlackouts(itemId)) === 1, 20_000);
  const hold = () =>
    call(stack, 'POST', '/v1/holds', { body: { itemId, start: at(13, '09:00'), end: at(13, '10:00') } });
  expect((await hold()).status).toBe(409);

  const unlinked = await fetch(`${calendarUrl()}/v1/calendar/links/${itemId}`, {
    method: 'DELETE',
    headers: bearer(await admin()),
  });
  expect(unlinked.status).toBe(204);
  expect(channel.stopped).toBe(true);
  await eventually(async () => (await outsideBlackouts(itemId)) === 0, 20_000);
  const free = await hold();
  expect(free.status).toBe(201);
}, 90_000);
