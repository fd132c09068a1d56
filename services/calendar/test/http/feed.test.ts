import { randomUUID } from 'node:crypto';
import { eventually, signToken } from '@midas/testing';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';
import { parseEvents } from '../support/ics';

describe('calendar projection and iCalendar feed, with Google sync off', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const newToken = async (itemId: string) => {
    const res = await call(h, `/v1/calendar/feeds/${itemId}/token`, { method: 'POST' });
    expect(res.status).toBe(201);
    return (await res.json()) as { itemId: string; token: string; url: string };
  };
  const feed = (itemId: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${h.base}/v1/calendar/feeds/${itemId}.ics?token=${encodeURIComponent(token)}`, { headers });

  it('keeps one row per booking, applies each event once, and ignores an older event arriving late', async () => {
    const booking = bookingSummary({ status: 'pending_payment' });
    const created = await h.publish('booking.created', booking, { occurredAt: '2037-01-01T10:00:00.000Z' });
    await h.entry('booking', booking.bookingId, 0);
    const confirmed = await h.publish(
      'booking.status_changed',
      { ...booking, status: 'confirmed', from: 'pending_payment', to: 'confirmed', actor: 'system' },
      { occurredAt: '2037-01-01T10:05:00.000Z' },
    );
    const row = await h.entry('booking', booking.bookingId, 1);
    expect(row).toMatchObject({ status: 'confirmed', item_id: booking.itemId, timezone: 'Europe/Monaco' });

    // Redelivered twice and delivered out of order: nothing changes.
    await h.republish(confirmed);
    await h.republish(created);
    await eventually(async () => {
      const inbox = await h.pool.query(
        `SELECT count(*)::int AS n FROM calendar.inbox WHERE event_id = ANY($1)`,
        [[created.id, confirmed.id]],
      );
      return inbox.rows[0].n === 2;
    });
    await new Promise((r) => setTimeout(r, 300));
    const after = await h.pool.query('SELECT status, sequence FROM calendar.entries WHERE ref = $1', [
      booking.bookingId,
    ]);
    expect(after.rows).toEqual([{ status: 'confirmed', sequence: 1 }]);

    // A late created event with an older timestamp but a new id is stale too.
    await h.publish('booking.created', booking, { occurredAt: '2037-01-01T09:00:00.000Z' });
    await new Promise((r) => setTimeout(r, 300));
    const still = await h.pool.query('SELECT status FROM calendar.entries WHERE ref = $1', [
      booking.bookingId,
    ]);
    expect(still.rows[0].status).toBe('confirmed');
  });

  it('serves a feed of bookings and blackouts with stable UIDs, no guest data, and cancellations marked', async () => {
    const itemId = randomUUID();
    const a = bookingSummary({ itemId, start: '2037-07-01T08:00:00.000Z', end: '2037-07-01T16:00:00.000Z' });
    const b = bookingSummary({ itemId, start: '2037-07-03T08:00:00.000Z', end: '2037-07-03T12:00:00.000Z' });
    await h.publish('booking.created', a);
    await h.publish('booking.created', b);
    const blackoutId = randomUUID();
    await h.entry('booking', a.bookingId);
    await h.entry('booking', b.bookingId);
    await h.publish('blackout.created', {
      blackoutId,
      itemId,
      start: '2037-07-05T00:00:00.000Z',
      end: '2037-07-06T00:00:00.000Z',
      reason: 'Hull cleaning',
    });
    await h.entry('blackout', blackoutId);

    const { token, url } = await newToken(itemId);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(url).toBe(`http://127.0.0.1:${h.service.port}/v1/calendar/feeds/${itemId}.ics?token=${token}`);
    const stored = await h.pool.query('SELECT token_hash FROM calendar.feed_tokens WHERE item_id = $1', [
      itemId,
    ]);
    expect(Buffer.from(stored.rows[0].token_hash).toString('utf8')).not.toContain(token);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).not.toContain('Camille');
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('+33');
    const events = parseEvents(text);
    expect(events.map((e) => e.UID)).toEqual([
      `booking-${a.bookingId}@calendar.midas`,
      `booking-${b.bookingId}@calendar.midas`,
      `blackout-${blackoutId}@calendar.midas`,
    ]);
    // Times in the item's zone (Monaco, summer time), under the zone's VTIMEZONE.
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Monaco\r\n');
    expect(text).toContain('DTSTART;TZID=Europe/Monaco:20370701T100000\r\n');
    expect(events[0]).toMatchObject({
      DTSTART: '20370701T100000',
      DTEND: '20370701T180000',
      STATUS: 'CONFIRMED',
      SEQUENCE: '0',
      SUMMARY: `${a.itemName}: booking MD-${a.bookingId.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
    });
    expect(events[2]).toMatchObject({ SUMMARY: 'Unavailable: Hull cleaning', STATUS: 'CONFIRMED' });

    // b moves, then a is cancelled: SEQUENCE grows, the cancelled one stays as CANCELLED.
    await h.publish('booking.modified', {
      ...b,
      start: '2037-07-04T08:00:00.000Z',
      end: '2037-07-04T12:00:00.000Z',
      previous: { start: b.start, end: b.end, total: b.total },
      actor: 'admin',
    });
    await h.publish('booking.status_changed', {
      ...a,
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'admin',
    });
    await h.entry('booking', b.bookingId, 1);
    await h.entry('booking', a.bookingId, 1);
    const changed = parseEvents(await (await fetch(url)).text());
    const byUid = Object.fromEntries(changed.map((e) => [e.UID, e]));
    expect(byUid[`booking-${a.bookingId}@calendar.midas`]).toMatchObject({
      STATUS: 'CANCELLED',
      SEQUENCE: '1',
    });
    expect(byUid[`booking-${b.bookingId}@calendar.midas`]).toMatchObject({
      DTSTART: '20370704T100000',
      SEQUENCE: '1',
      STATUS: 'CONFIRMED',
    });

    // A deleted blackout is cancelled too.
    await h.publish('blackout.deleted', {
      blackoutId,
      itemId,
      start: '2037-07-05T00:00:00.000Z',
      end: '2037-07-06T00:00:00.000Z',
      reason: 'Hull cleaning',
    });
    await h.entry('blackout', blackoutId, 1);
    const last = parseEvents(await (await fetch(url)).text());
    expect(last.find((e) => e.UID === `blackout-${blackoutId}@calendar.midas`)?.STATUS).toBe('CANCELLED');
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the feed changes', async () => {
    const booking = bookingSummary();
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const { token } = await newToken(booking.itemId);
    const first = await feed(booking.itemId, token);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await feed(booking.itemId, token, { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await feed(booking.itemId, token, { 'If-None-Match': '"other"' })).status).toBe(200);

    await h.publish('booking.modified', {
      ...booking,
      end: '2037-07-01T18:00:00.000Z',
      previous: { start: booking.start, end: booking.end, total: booking.total },
      actor: 'admin',
    });
    await h.entry('booking', booking.bookingId, 1);
    const changed = await feed(booking.itemId, token, { 'If-None-Match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('gives the same 404 problem for a wrong token, a rotated token and an unknown item', async () => {
    const booking = bookingSummary();
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const old = await newToken(booking.itemId);
    const fresh = await newToken(booking.itemId);
    expect((await feed(booking.itemId, fresh.token)).status).toBe(200);
    const answers = await Promise.all([
      feed(booking.itemId, old.token),
      feed(booking.itemId, 'x'.repeat(43)),
      feed(randomUUID(), fresh.token),
    ]);
    const bodies = await Promise.all(
      answers.map(async (r) => [r.status, r.headers.get('content-type'), await r.json()]),
    );
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0]![0]).toBe(404);
    expect(bodies[0]![1]).toContain('application/problem+json');
  });

  it('refuses bad feed input with 400 problems', async () => {
    const missing = await fetch(`${h.base}/v1/calendar/feeds/${randomUUID()}.ics`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('token');
    expect((await fetch(`${h.base}/v1/calendar/feeds/not-a-uuid.ics?token=abc`)).status).toBe(400);
    expect((await fetch(`${h.base}/v1/calendar/feeds/${randomUUID()}.ics?token=a&extra=1`)).status).toBe(400);
  });

  it('lets only admins create feed tokens, and only for items it knows or can ask availability about', async () => {
    const booking = bookingSummary();
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const path = `/v1/calendar/feeds/${booking.itemId}/token`;
    expect((await call(h, path, { method: 'POST', token: null })).status).toBe(401);
    const concierge = await signToken({ role: 'concierge' });
    const refused = await call(h, path, { method: 'POST', token: concierge });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(
      await h.pool.query('SELECT 1 FROM calendar.feed_tokens WHERE item_id = $1', [booking.itemId]),
    ).toMatchObject({
      rowCount: 0,
    });
    // An item calendar has no copy of is asked of availability, which is not running here: 503,
    // nothing stored (http/item-lookup.test.ts has the 404 of an id availability does not know).
    expect((await call(h, `/v1/calendar/feeds/${randomUUID()}/token`, { method: 'POST' })).status).toBe(503);
    expect((await call(h, `/v1/calendar/feeds/nope/token`, { method: 'POST' })).status).toBe(400);
    expect(
      (await call(h, path, { method: 'POST', token: await signToken({ role: 'super_admin' }) })).status,
    ).toBe(201);
  });

  it('reports sync off and queues nothing, without failing, when Google is not configured', async () => {
    const booking = bookingSummary();
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const link = await call(h, `/v1/calendar/links/${booking.itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: 'fleet@group.calendar.google.com' }),
    });
    expect(link.status).toBe(200);
    expect(await link.json()).toEqual({
      itemId: booking.itemId,
      calendarId: 'fleet@group.calendar.google.com',
      shared: false,
      watch: null,
      queued: 0,
    });

    const status = await call(h, `/v1/calendar/status?itemId=${booking.itemId}`);
    expect(status.status).toBe(200);
    const body = (await status.json()) as { sync: unknown; items: { syncState: string }[] };
    expect(body.sync).toEqual({
      enabled: false,
      reason:
        'GOOGLE_SERVICE_ACCOUNT_EMAIL, GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY, GOOGLE_CALENDAR_API_BASE not set',
    });
    expect(body.items.map((i) => i.syncState)).toEqual(['idle']);

    const sync = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ itemType: 'yacht' }),
    });
    expect(sync.status).toBe(202);
    expect(await sync.json()).toMatchObject({ queued: 0, sync: { enabled: false } });
  });
});
