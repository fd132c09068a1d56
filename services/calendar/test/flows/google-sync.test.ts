import { randomUUID } from 'node:crypto';
import { eventually, signToken } from '@midas/testing';
import { googleEventId } from '../../src/domain/event-ids';
import { GoogleFake } from '../support/google-fake';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';

describe('Google Calendar sync through googleapis, against a local Google', () => {
  const google = new GoogleFake();
  let h: Harness;
  const calendarId = 'fleet-monaco@group.calendar.google.com';

  beforeAll(async () => {
    await google.start();
    h = await startHarness(google.env, { webhookUrl: 'http://127.0.0.1:1/unused' });
    // Notifications go to the service itself.
    (h as { webhook?: string }).webhook = `${h.base}/v1/calendar/google/notifications`;
  });
  afterAll(async () => {
    await h?.close();
    await google.close();
  });

  /** An item calendar knows of (from a first booking) and linked to a calendar. */
  const linkedItem = async (calendar = calendarId) => {
    const seed = bookingSummary({
      status: 'pending_payment',
      start: '2037-01-01T08:00:00.000Z',
      end: '2037-01-01T09:00:00.000Z',
    });
    await h.publish('booking.created', seed);
    await h.entry('booking', seed.bookingId);
    const res = await call(h, `/v1/calendar/links/${seed.itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: calendar }),
    });
    expect(res.status).toBe(200);
    return { itemId: seed.itemId, link: (await res.json()) as Record<string, unknown> };
  };
  const event = (cal: string, bookingId: string) =>
    google.calendar(cal).get(googleEventId('booking', bookingId));
  const row = async (ref: string) =>
    (await h.pool.query('SELECT * FROM calendar.entries WHERE ref = $1', [ref])).rows[0] as Record<
      string,
      unknown
    >;

  it('creates the Google event of a confirmed booking under its derived id, in the item zone, and records id and etag', async () => {
    const { itemId } = await linkedItem();
    const booking = bookingSummary({
      itemId,
      start: '2037-03-28T20:00:00.000Z',
      end: '2037-03-29T08:00:00.000Z',
    });
    await h.publish('booking.created', booking);
    const created = await eventually(async () => event(calendarId, booking.bookingId));
    expect(created).toMatchObject({
      id: googleEventId('booking', booking.bookingId),
      status: 'confirmed',
      // Across the spring-forward night in Monaco.
      start: { dateTime: '2037-03-28T21:00:00+01:00', timeZone: 'Europe/Monaco' },
      end: { dateTime: '2037-03-29T10:00:00+02:00', timeZone: 'Europe/Monaco' },
      extendedProperties: { private: { midasKind: 'booking', midasRef: booking.bookingId } },
    });
    expect(JSON.stringify(created)).not.toContain(booking.guest!.email);
    expect(JSON.stringify(created)).not.toContain('Camille');
    const synced = await eventually(async () => {
      const r = await row(booking.bookingId);
      return r.sync_state === 'synced' && r;
    });
    expect(synced).toMatchObject({
      google_event_id: created!.id,
      google_etag: created!.etag,
      calendar_id: calendarId,
      synced_sequence: 0,
      sync_error: null,
    });
    expect(google.tokenRequests).toBeGreaterThanOrEqual(1);
  });

  it('moves the event when the booking moves, and deletes it when the booking is cancelled', async () => {
    const { itemId } = await linkedItem();
    const booking = bookingSummary({ itemId });
    await h.publish('booking.created', booking);
    await eventually(async () => event(calendarId, booking.bookingId));
    await h.publish('booking.modified', {
      ...booking,
      start: '2037-07-02T08:00:00.000Z',
      end: '2037-07-02T18:00:00.000Z',
      previous: { start: booking.start, end: booking.end, total: booking.total },
      actor: 'admin',
    });
    const moved = await eventually(async () => {
      const e = event(calendarId, booking.bookingId);
      return e?.start?.dateTime === '2037-07-02T10:00:00+02:00' && e;
    });
    expect(moved.end?.dateTime).toBe('2037-07-02T20:00:00+02:00');
    await eventually(async () => (await row(booking.bookingId)).synced_sequence === 1);

    await h.publish('booking.status_changed', {
      ...booking,
      start: '2037-07-02T08:00:00.000Z',
      end: '2037-07-02T18:00:00.000Z',
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'admin',
    });
    await eventually(async () => event(calendarId, booking.bookingId)?.status === 'cancelled');
    const done = await eventually(async () => {
      const r = await row(booking.bookingId);
      return r.sync_state === 'synced' && r.synced_sequence === 2 && r;
    });
    expect(done.google_event_id).toBeNull();
    expect(
      google.live(calendarId).filter((e) => e.id === googleEventId('booking', booking.bookingId)),
    ).toHaveLength(0);
  });

  it('writes no event for an unpaid booking, and never touches Google when it lapses', async () => {
    const { itemId } = await linkedItem();
    const booking = bookingSummary({ itemId, status: 'pending_payment' });
    await h.publish('booking.created', booking);
    await h.publish('booking.status_changed', {
      ...booking,
      status: 'expired',
      from: 'pending_payment',
      to: 'expired',
      actor: 'system',
    });
    await eventually(async () => (await row(booking.bookingId))?.sync_state === 'synced');
    expect(event(calendarId, booking.bookingId)).toBeUndefined();
    expect(google.calls.filter((c) => c.path.includes(googleEventId('booking', booking.bookingId)))).toEqual(
      [],
    );
  });

  it('retries while Google is down, then records the write as failed; a later resync writes it once', async () => {
    const { itemId } = await linkedItem();
    google.down = true;
    const booking = bookingSummary({ itemId });
    try {
      await h.publish('booking.created', booking);
      const failed = await eventually(async () => {
        const r = await row(booking.bookingId);
        return r?.sync_state === 'failed' && r;
      }, 15_000);
      expect(failed.sync_attempts).toBe(3);
      expect(failed.sync_error).toContain('503');
    } finally {
      google.down = false;
    }
    expect(event(calendarId, booking.bookingId)).toBeUndefined();

    const status = await call(h, '/v1/calendar/status?state=failed');
    const body = (await status.json()) as {
      counts: Record<string, number>;
      items: { id: string; syncError: string }[];
    };
    expect(body.counts.failed).toBeGreaterThanOrEqual(1);
    expect(body.items.map((i) => i.id)).toContain(booking.bookingId);
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(/midas_calendar_writes_total\{outcome="failed"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/midas_calendar_writes_total\{outcome="retried"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/midas_calendar_writes_total\{outcome="written"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/midas_calendar_sync_lag_seconds\{calendar="[^"]+"[^}]*\} \d/);

    const resync = await call(h, '/v1/calendar/sync', { method: 'POST', body: JSON.stringify({ itemId }) });
    expect(resync.status).toBe(202);
    expect(((await resync.json()) as { queued: number }).queued).toBe(2);
    await eventually(async () => (await row(booking.bookingId)).sync_state === 'synced');
    expect(
      google.live(calendarId).filter((e) => e.id === googleEventId('booking', booking.bookingId)),
    ).toHaveLength(1);
  });

  it('never makes a second event when a retry follows an insert whose answer was lost', async () => {
    const { itemId } = await linkedItem();
    const booking = bookingSummary({ itemId });
    // The event is already in Google (the first attempt's answer never came back).
    google.calendar(calendarId).set(googleEventId('booking', booking.bookingId), {
      id: googleEventId('booking', booking.bookingId),
      status: 'confirmed',
      summary: 'stale',
      etag: '"0"',
      updated: new Date().toISOString(),
      version: 0,
    });
    google.failNext = 1;
    await h.publish('booking.created', booking);
    await eventually(async () => (await row(booking.bookingId))?.sync_state === 'synced');
    const all = [...google.calendar(calendarId).values()].filter(
      (e) => e.id === googleEventId('booking', booking.bookingId),
    );
    expect(all).toHaveLength(1);
    expect(all[0]?.summary).toContain('booking MD-');
    const insertsThenPatch = google.calls
      .filter(
        (c) => c.path.endsWith('/events') || c.path.endsWith(googleEventId('booking', booking.bookingId)),
      )
      .filter((c) => c.method !== 'GET')
      .map((c) => `${c.method} ${c.status}`);
    expect(insertsThenPatch.slice(-3)).toEqual(['POST 503', 'POST 409', 'PATCH 200']);
  });

  it('writes blackouts too, and bulk resync by item type and dates answers 202 with the jobs queued', async () => {
    const { itemId } = await linkedItem();
    const blackoutId = randomUUID();
    await h.publish('blackout.created', {
      blackoutId,
      itemId,
      start: '2037-08-01T00:00:00.000Z',
      end: '2037-08-02T00:00:00.000Z',
      reason: 'Engine service',
    });
    const written = await eventually(async () =>
      google.calendar(calendarId).get(googleEventId('blackout', blackoutId)),
    );
    expect(written.summary).toBe('Unavailable: Engine service');

    const bad = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ from: '2037-08-03T00:00:00Z', to: '2037-08-01T00:00:00Z' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'to',
    ]);
    const boat = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ itemType: 'boat' }),
    });
    expect(((await boat.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'itemType',
    ]);
    expect((await call(h, '/v1/calendar/sync', { method: 'POST', body: '{"extra":1}' })).status).toBe(400);
    expect((await call(h, '/v1/calendar/sync', { method: 'POST', body: '{}', token: null })).status).toBe(
      401,
    );
    const customer = await signToken({ role: 'customer' });
    expect((await call(h, '/v1/calendar/sync', { method: 'POST', body: '{}', token: customer })).status).toBe(
      403,
    );

    const ranged = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ itemType: 'yacht', from: '2037-07-31T00:00:00Z', to: '2037-08-03T00:00:00Z' }),
    });
    expect(ranged.status).toBe(202);
    expect(await ranged.json()).toMatchObject({ queued: 1, sync: { enabled: true, reason: null } });
    const none = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ itemType: 'jet' }),
    });
    expect(((await none.json()) as { queued: number }).queued).toBe(0);
  });

  it('lists sync state per booking with pagination and counts', async () => {
    const res = await call(h, '/v1/calendar/status?limit=2');
    expect(res.status).toBe(200);
    const first = (await res.json()) as {
      sync: unknown;
      links: number;
      items: { id: string }[];
      nextCursor: string;
    };
    expect(first.sync).toEqual({ enabled: true, reason: null });
    expect(first.links).toBeGreaterThanOrEqual(1);
    expect(first.items).toHaveLength(2);
    const next = await call(h, `/v1/calendar/status?limit=2&cursor=${first.nextCursor}`);
    const second = (await next.json()) as { items: { id: string }[] };
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
    expect((await call(h, '/v1/calendar/status?cursor=garbage')).status).toBe(400);
    expect((await call(h, '/v1/calendar/status?state=unknown')).status).toBe(400);
    expect((await call(h, '/v1/calendar/status?limit=500')).status).toBe(400);
    expect((await call(h, '/v1/calendar/status', { token: null })).status).toBe(401);
    expect(
      (await call(h, '/v1/calendar/status', { token: await signToken({ role: 'concierge' }) })).status,
    ).toBe(403);
  });

  it('refuses a bad link with 400 and an item nobody can vouch for with 503, changing nothing', async () => {
    const { itemId } = await linkedItem('first@group.calendar.google.com');
    const bad = await call(h, `/v1/calendar/links/${itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: 'has space' }),
    });
    expect(bad.status).toBe(400);
    const unknown = await call(h, `/v1/calendar/links/${randomUUID()}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: 'x@group.calendar.google.com' }),
    });
    // Calendar has no copy and availability (not running here) cannot be asked: refused, nothing
    // stored. The 404 of an id availability does not know is in http/item-lookup.test.ts.
    expect(unknown.status).toBe(503);
    const link = await h.pool.query('SELECT calendar_id FROM calendar.links WHERE item_id = $1', [itemId]);
    expect(link.rows).toEqual([{ calendar_id: 'first@group.calendar.google.com' }]);
  });
});
