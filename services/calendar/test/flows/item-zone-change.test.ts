/**
 * An item's time zone changed in availability (PATCH /v1/items/:id) reaches calendar as
 * item.updated: its stored entries take the new zone, its Google events (googleapis against the
 * local Calendar v3 server) are written again in it, its feed shows the new zone, and its calendar
 * is read again so an all-day outside event blocks the item's new local day.
 */
import { startService, type RunningService } from '@midas/runtime';
import { bearer, eventually, signToken, uniqueName } from '@midas/testing';
import { defineAvailabilityService } from '../../../availability/src/service';
import { googleEventId } from '../../src/domain/event-ids';
import { GoogleFake } from '../support/google-fake';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';

describe("a change of an item's time zone", () => {
  const google = new GoogleFake();
  let h: Harness;
  let availability: RunningService;
  let api: (path: string, init?: RequestInit) => Promise<Response>;

  beforeAll(async () => {
    await google.start();
    h = await startHarness(google.env, {
      webhookUrl: 'https://calendar.midas.example/v1/calendar/google/notifications',
    });
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    const admin = bearer(await signToken({ role: 'admin', sub: 'admin-zones' }));
    api = (path, init = {}) =>
      fetch(`http://127.0.0.1:${availability.port}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...admin },
      });
  }, 60_000);
  afterAll(async () => {
    await availability?.stop();
    await h?.close();
    await google.close();
  });

  const entry = async (ref: string) =>
    (await h.pool.query('SELECT * FROM calendar.entries WHERE ref = $1', [ref])).rows[0] as Record<
      string,
      unknown
    >;

  it('moves stored entries and Google events to the new zone, re-reads all-day outside events in it, and keeps it against late booking events', async () => {
    const created = await api('/v1/items', {
      method: 'POST',
      body: JSON.stringify({
        type: 'yacht',
        name: uniqueName('Riva'),
        location: 'Monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        rate: { unit: 'hour', amount: 50_000 },
        bufferMinutes: 0,
      }),
    });
    expect(created.status).toBe(201);
    const itemId = ((await created.json()) as { id: string }).id;
    await eventually(
      async () => (await h.pool.query('SELECT 1 FROM calendar.items WHERE id = $1', [itemId])).rowCount,
    );
    const calendarId = `${uniqueName('riva')}@group.calendar.google.com`;
    const linked = await call(h, `/v1/calendar/links/${itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId }),
    });
    expect(linked.status).toBe(200);
    const channelId = ((await linked.json()) as { watch: { channelId: string } }).watch.channelId;
    const channel = google.channels.find((c) => c.id === channelId)!;

    // A confirmed booking, written to Google in Monaco's time.
    const booking = bookingSummary({
      itemId,
      timezone: 'Europe/Monaco',
      start: '2037-07-01T08:00:00.000Z',
      end: '2037-07-01T16:00:00.000Z',
    });
    await h.publish('booking.created', booking);
    const eventOf = () => google.calendar(calendarId).get(googleEventId('booking', booking.bookingId));
    await eventually(async () => eventOf()?.start?.timeZone === 'Europe/Monaco');
    expect(eventOf()!.start).toEqual({ dateTime: '2037-07-01T10:00:00+02:00', timeZone: 'Europe/Monaco' });
    await eventually(async () => (await entry(booking.bookingId)).sync_state === 'synced');

    // An all-day outside event: the whole 10 August in Monaco.
    const dayOff = google.addExternal(calendarId, {
      summary: 'Owner day',
      start: { date: '2037-08-10' },
      end: { date: '2037-08-11' },
    });
    await google.notify(channel, 'exists', 1, { address: `${h.base}/v1/calendar/google/notifications` });
    const requests = () =>
      h.observed.filter(
        (e) =>
          e.type === 'calendar.blackout_requested' &&
          'googleEventId' in e.data &&
          e.data.googleEventId === dayOff.id,
      );
    await eventually(async () => requests().length === 1);
    expect(requests()[0]!.data).toMatchObject({
      start: '2037-08-09T22:00:00.000Z',
      end: '2037-08-10T22:00:00.000Z',
    });

    const patched = await api(`/v1/items/${itemId}`, {
      method: 'PATCH',
      body: JSON.stringify({ timezone: 'America/New_York' }),
    });
    expect(patched.status).toBe(200);

    // The Google event is written again, the same instants in New York's time.
    await eventually(async () => eventOf()?.start?.timeZone === 'America/New_York', 20_000);
    expect(eventOf()).toMatchObject({
      start: { dateTime: '2037-07-01T04:00:00-04:00', timeZone: 'America/New_York' },
      end: { dateTime: '2037-07-01T12:00:00-04:00', timeZone: 'America/New_York' },
    });
    const moved = await eventually(async () => {
      const row = await entry(booking.bookingId);
      return row.sync_state === 'synced' && row.synced_sequence === 1 && row;
    });
    expect(moved).toMatchObject({ timezone: 'America/New_York', sequence: 1, google_etag: eventOf()!.etag });

    // Read again whole: the all-day event is now New York's 10 August.
    await eventually(async () => requests().length === 2, 20_000);
    expect(requests()[1]!.data).toMatchObject({
      start: '2037-08-10T04:00:00.000Z',
      end: '2037-08-11T04:00:00.000Z',
      revision: (requests()[0]!.data as { revision: number }).revision + 1,
    });
    // Availability follows: its outside-event blackout is the new day.
    await eventually(async () => {
      const rows = await h.pool.query(
        `SELECT lower(period) AS start FROM availability.allocations
          WHERE item_id = $1 AND kind = 'blackout' AND active AND created_by = 'calendar'`,
        [itemId],
      );
      return (
        rows.rows.length === 1 && (rows.rows[0].start as Date).toISOString() === '2037-08-10T04:00:00.000Z'
      );
    }, 20_000);

    // The feed shows the new zone.
    const token = await call(h, `/v1/calendar/feeds/${itemId}/token`, { method: 'POST' });
    const { url } = (await token.json()) as { url: string };
    const feed = await (await fetch(url)).text();
    expect(feed).toContain('BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n');
    expect(feed).toContain('DTSTART;TZID=America/New_York:20370701T040000\r\n');
    expect(feed).not.toContain('TZID=Europe/Monaco');

    // A booking event published before the change (still saying Monaco) does not bring it back.
    const writes = google.calls.filter((c) => c.method === 'PATCH' || c.method === 'POST').length;
    await h.publish('booking.status_changed', {
      ...booking,
      status: 'completed',
      from: 'in_progress',
      to: 'completed',
      actor: 'system',
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await entry(booking.bookingId)).timezone).toBe('America/New_York');
    expect(eventOf()!.start?.timeZone).toBe('America/New_York');
    expect(google.calls.filter((c) => c.method === 'PATCH' || c.method === 'POST').length).toBe(writes);
  }, 90_000);
});
