/**
 * Per-type calendars ("Midas Yachts", ...) made once through the API and shared by the items of the
 * type linked without a calendar of their own; unlinking stops the item's channel, removes Midas's
 * events from the calendar and withdraws the outside events seen there; a resync of one booking.
 */
import { randomUUID } from 'node:crypto';
import { eventually, uniqueName } from '@midas/testing';
import { googleEventId } from '../../src/domain/event-ids';
import { GoogleFake } from '../support/google-fake';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';

const WEBHOOK = 'https://calendar.midas.example/v1/calendar/google/notifications';

describe('per-type calendars, unlinking and one-booking resync', () => {
  const google = new GoogleFake();
  let h: Harness;

  beforeAll(async () => {
    await google.start();
    h = await startHarness(google.env, { webhookUrl: WEBHOOK });
  });
  afterAll(async () => {
    await h?.close();
    await google.close();
  });

  const linkBody = (calendarId?: string) => ({
    method: 'PUT',
    body: JSON.stringify(calendarId ? { calendarId } : {}),
  });
  const inserts = () =>
    google.calls.filter((c) => c.method === 'POST' && c.path === '/calendar/v3/calendars');

  /** An item calendar knows from a confirmed booking. */
  async function bookedItem(itemType: 'car' | 'yacht' | 'jet' | 'property') {
    const booking = bookingSummary({ itemType });
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    return booking;
  }

  it('makes the type calendar once for many items linked at once, reuses it, and writes each item there', async () => {
    const yachts = await Promise.all([1, 2, 3, 4].map(() => bookedItem('yacht')));
    const before = inserts().length;
    const answers = await Promise.all(
      yachts.map((b) => call(h, `/v1/calendar/links/${b.itemId}`, linkBody())),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const links = (await Promise.all(answers.map((a) => a.json()))) as {
      calendarId: string;
      shared: boolean;
    }[];
    const calendarId = links[0]!.calendarId;
    expect(links.every((l) => l.calendarId === calendarId && l.shared)).toBe(true);
    const made = [...google.made.entries()].filter(([, c]) => c.summary === 'Midas Yachts' && !c.deleted);
    expect(made.map(([id]) => id)).toEqual([calendarId]);
    // A race may make a second one, but it is deleted again; later links make none.
    const later = await bookedItem('yacht');
    const again = await call(h, `/v1/calendar/links/${later.itemId}`, linkBody());
    expect(((await again.json()) as { calendarId: string }).calendarId).toBe(calendarId);
    expect(inserts().length - before).toBeLessThanOrEqual(yachts.length);
    expect([...google.made.values()].filter((c) => c.summary === 'Midas Yachts' && !c.deleted)).toHaveLength(
      1,
    );
    for (const b of [...yachts, later]) {
      await eventually(async () => google.calendar(calendarId).get(googleEventId('booking', b.bookingId)));
    }

    const car = await bookedItem('car');
    const carLink = (await (await call(h, `/v1/calendar/links/${car.itemId}`, linkBody())).json()) as {
      calendarId: string;
    };
    expect(carLink.calendarId).not.toBe(calendarId);
    expect(google.made.get(carLink.calendarId)).toMatchObject({
      summary: 'Midas Cars',
      timeZone: 'Europe/Monaco',
    });
  });

  it('ignores outside events in a shared type calendar: they belong to no one item', async () => {
    const yacht = await bookedItem('yacht');
    const res = await call(h, `/v1/calendar/links/${yacht.itemId}`, linkBody());
    const { calendarId, watch } = (await res.json()) as { calendarId: string; watch: { channelId: string } };
    google.addExternal(calendarId, {
      summary: 'Someone else’s event',
      start: { dateTime: '2037-07-05T08:00:00Z' },
      end: { dateTime: '2037-07-05T10:00:00Z' },
    });
    const channel = google.channels.find((c) => c.id === watch.channelId)!;
    expect(
      (await google.notify(channel, 'exists', 1, { address: `${h.base}/v1/calendar/google/notifications` }))
        .status,
    ).toBe(200);
    await eventually(
      async () =>
        (await h.pool.query('SELECT sync_token FROM calendar.links WHERE item_id = $1', [yacht.itemId]))
          .rows[0]?.sync_token,
    );
    expect(h.observed.filter((e) => e.data.itemId === yacht.itemId)).toEqual([]);
  });

  it('unlinks: stops the channel, removes Midas events from the calendar, withdraws outside events, and says 404 the second time', async () => {
    const yacht = await bookedItem('yacht');
    const calendarId = `${uniqueName('own')}@group.calendar.google.com`;
    const res = await call(h, `/v1/calendar/links/${yacht.itemId}`, linkBody(calendarId));
    const link = (await res.json()) as { shared: boolean; watch: { channelId: string } };
    expect(link.shared).toBe(false);
    const ours = googleEventId('booking', yacht.bookingId);
    await eventually(async () => google.calendar(calendarId).get(ours));
    const outside = google.addExternal(calendarId, {
      summary: 'Owner',
      start: { dateTime: '2037-07-09T08:00:00Z' },
      end: { dateTime: '2037-07-09T10:00:00Z' },
    });
    const channel = google.channels.find((c) => c.id === link.watch.channelId)!;
    await google.notify(channel, 'exists', 1, { address: `${h.base}/v1/calendar/google/notifications` });
    await eventually(async () => h.observed.some((e) => e.data.googleEventId === outside.id));

    const unlink = await call(h, `/v1/calendar/links/${yacht.itemId}`, { method: 'DELETE' });
    expect(unlink.status).toBe(204);
    expect(channel.stopped).toBe(true);
    expect(google.calendar(calendarId).get(ours)?.status).toBe('cancelled');
    expect(google.calendar(calendarId).get(outside.id)?.status).toBe('confirmed');
    const rows = await h.pool.query('SELECT 1 FROM calendar.links WHERE item_id = $1', [yacht.itemId]);
    expect(rows.rowCount).toBe(0);
    const entry = await h.pool.query(
      'SELECT sync_state, google_event_id FROM calendar.entries WHERE ref = $1',
      [yacht.bookingId],
    );
    expect(entry.rows).toEqual([{ sync_state: 'idle', google_event_id: null }]);
    await eventually(async () =>
      h.observed.some((e) => e.type === 'calendar.blackout_withdrawn' && e.data.googleEventId === outside.id),
    );
    // Its notifications are no longer acted on.
    const late = await google.notify(channel, 'exists', 2, {
      address: `${h.base}/v1/calendar/google/notifications`,
    });
    expect(late.status).toBe(200);

    expect((await call(h, `/v1/calendar/links/${yacht.itemId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(h, `/v1/calendar/links/not-a-uuid`, { method: 'DELETE' })).status).toBe(400);
    expect(
      (await call(h, `/v1/calendar/links/${yacht.itemId}`, { method: 'DELETE', token: null })).status,
    ).toBe(401);
  });

  it('resyncs one booking by bookingId, and refuses a bookingId that is not a UUID', async () => {
    const car = await bookedItem('car');
    await call(h, `/v1/calendar/links/${car.itemId}`, linkBody());
    const other = bookingSummary({
      itemId: car.itemId,
      itemType: 'car',
      start: '2037-07-03T08:00:00.000Z',
      end: '2037-07-03T10:00:00.000Z',
    });
    await h.publish('booking.created', other);
    await h.entry('booking', other.bookingId);
    const one = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ bookingId: car.bookingId }),
    });
    expect(one.status).toBe(202);
    expect(((await one.json()) as { queued: number }).queued).toBe(1);
    const none = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ bookingId: randomUUID() }),
    });
    expect(((await none.json()) as { queued: number }).queued).toBe(0);
    const bad = await call(h, '/v1/calendar/sync', {
      method: 'POST',
      body: JSON.stringify({ bookingId: 'MD-1' }),
    });
    expect(bad.status).toBe(400);
  });
});
