import { randomUUID } from 'node:crypto';
import { eventually, uniqueName } from '@midas/testing';
import { googleEventId } from '../../src/domain/event-ids';
import { GoogleFake, type FakeChannel } from '../support/google-fake';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';

const WEBHOOK = 'https://calendar.midas.example/v1/calendar/google/notifications';

describe('Google push notifications and outside events in a linked calendar', () => {
  const google = new GoogleFake();
  let h: Harness;
  let message = 1;

  beforeAll(async () => {
    await google.start();
    h = await startHarness(google.env, { webhookUrl: WEBHOOK });
  });
  afterAll(async () => {
    await h?.close();
    await google.close();
  });

  const notify = (channel: FakeChannel, state: 'sync' | 'exists', opts: { token?: string } = {}) =>
    google.notify(channel, state, message++, {
      ...opts,
      address: `${h.base}/v1/calendar/google/notifications`,
    });
  const listCalls = (calendarId: string) =>
    google.calls.filter((c) => c.method === 'GET' && c.path.includes(encodeURIComponent(calendarId))).length;

  /** A yacht with one confirmed booking on 1 July 2037, linked to its own calendar. */
  const linkedYacht = async () => {
    const calendarId = `${uniqueName('yacht')}@group.calendar.google.com`;
    const booking = bookingSummary({ start: '2037-07-01T08:00:00.000Z', end: '2037-07-01T16:00:00.000Z' });
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const res = await call(h, `/v1/calendar/links/${booking.itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId }),
    });
    expect(res.status).toBe(200);
    const link = (await res.json()) as { watch: { channelId: string; expiresAt: string }; queued: number };
    const channel = google.channels.find((c) => c.id === link.watch.channelId)!;
    return { calendarId, booking, link, channel };
  };

  it('watches the calendar when an item is linked, and writes the bookings it already had', async () => {
    const { calendarId, booking, link, channel } = await linkedYacht();
    expect(link.queued).toBe(1);
    expect(channel).toMatchObject({ calendarId, address: WEBHOOK, stopped: false });
    expect(new Date(link.watch.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    const stored = await h.pool.query('SELECT token_hash FROM calendar.watch_channels WHERE id = $1', [
      channel.id,
    ]);
    expect(stored.rowCount).toBe(1);
    expect(Buffer.from(stored.rows[0].token_hash).toString('utf8')).not.toContain(channel.token);
    await eventually(async () =>
      google.calendar(calendarId).get(googleEventId('booking', booking.bookingId)),
    );
  });

  it('refuses a missing or wrong channel token (401, 403) and bad headers (400), reading nothing', async () => {
    const { calendarId, channel } = await linkedYacht();
    google.addExternal(calendarId, {
      summary: 'Owner trip',
      start: { dateTime: '2037-07-01T12:00:00+02:00' },
      end: { dateTime: '2037-07-01T14:00:00+02:00' },
    });
    const before = listCalls(calendarId);
    const missing = await fetch(`${h.base}/v1/calendar/google/notifications`, {
      method: 'POST',
      headers: { 'X-Goog-Channel-ID': channel.id, 'X-Goog-Resource-State': 'exists' },
    });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await notify(channel, 'exists', { token: 'not-the-token' });
    expect(wrong.status).toBe(403);
    const unknown = await notify({ ...channel, id: randomUUID() }, 'exists');
    expect(unknown.status).toBe(403);
    const badState = await fetch(`${h.base}/v1/calendar/google/notifications`, {
      method: 'POST',
      headers: {
        'X-Goog-Channel-ID': channel.id,
        'X-Goog-Channel-Token': channel.token,
        'X-Goog-Resource-State': 'boom',
      },
    });
    expect(badState.status).toBe(400);
    expect(((await badState.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'x-goog-resource-state',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(listCalls(calendarId)).toBe(before);
    expect(h.observed).toHaveLength(0);
  });

  it('answers the sync handshake without reading the calendar', async () => {
    const { calendarId, channel } = await linkedYacht();
    const before = listCalls(calendarId);
    expect((await notify(channel, 'sync')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(listCalls(calendarId)).toBe(before);
  });

  it('asks availability to block each outside event once per change, ignoring free, declined and past ones, and withdraws it when deleted', async () => {
    const { calendarId, booking, channel } = await linkedYacht();
    await eventually(async () =>
      google.calendar(calendarId).get(googleEventId('booking', booking.bookingId)),
    );
    const owner = google.addExternal(calendarId, {
      summary: 'Owner trip',
      start: { dateTime: '2037-07-01T12:00:00+02:00', timeZone: 'Europe/Monaco' },
      end: { dateTime: '2037-07-01T14:00:00+02:00', timeZone: 'Europe/Monaco' },
    });
    const dock = google.addExternal(calendarId, {
      summary: 'Dry dock',
      start: { date: '2037-07-10' },
      end: { date: '2037-07-12' },
    });
    google.addExternal(calendarId, {
      summary: 'Last year',
      start: { dateTime: '2020-07-01T12:00:00Z' },
      end: { dateTime: '2020-07-01T14:00:00Z' },
    });
    google.addExternal(calendarId, {
      summary: 'Reminder: call the harbour',
      transparency: 'transparent',
      start: { dateTime: '2037-07-03T12:00:00Z' },
      end: { dateTime: '2037-07-03T14:00:00Z' },
    });
    google.addExternal(calendarId, {
      summary: 'Invitation turned down',
      attendees: [{ email: calendarId, self: true, responseStatus: 'declined' }],
      start: { dateTime: '2037-07-04T12:00:00Z' },
      end: { dateTime: '2037-07-04T14:00:00Z' },
    });
    expect((await notify(channel, 'exists')).status).toBe(200);
    const mine = () => h.observed.filter((e) => e.data.itemId === booking.itemId);
    await eventually(async () => mine().length >= 2);
    const byEvent = (id: string) => mine().filter((e) => e.data.googleEventId === id);
    // Whether the owner trip may block (a booking is there) is availability's to judge.
    expect(byEvent(owner.id)).toMatchObject([
      {
        type: 'calendar.blackout_requested',
        source: 'calendar',
        data: {
          itemId: booking.itemId,
          calendarId,
          start: '2037-07-01T10:00:00.000Z',
          end: '2037-07-01T12:00:00.000Z',
          summary: 'Owner trip',
          revision: 1,
        },
      },
    ]);
    expect(byEvent(dock.id)).toMatchObject([
      {
        type: 'calendar.blackout_requested',
        // All-day dates are whole days in Monaco.
        data: { start: '2037-07-09T22:00:00.000Z', end: '2037-07-11T22:00:00.000Z', revision: 1 },
      },
    ]);

    // Nothing changed since: the incremental read finds nothing new to report.
    expect((await notify(channel, 'exists')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(mine()).toHaveLength(2);

    // The owner trip moves: reported again with a higher revision; the dry dock is deleted.
    google.calendar(calendarId).set(owner.id, {
      ...owner,
      start: { dateTime: '2037-07-20T12:00:00+02:00' },
      end: { dateTime: '2037-07-20T14:00:00+02:00' },
      version: 10_000,
    });
    google.calendar(calendarId).set(dock.id, { ...dock, status: 'cancelled', version: 10_001 });
    await notify(channel, 'exists');
    await eventually(async () => mine().length === 4);
    expect(byEvent(owner.id)[1]).toMatchObject({
      type: 'calendar.blackout_requested',
      data: { start: '2037-07-20T10:00:00.000Z', end: '2037-07-20T12:00:00.000Z', revision: 2 },
    });
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(/midas_calendar_outside_reports_total\{kind="withdrawn"[^}]*\} [1-9]/);
    expect(byEvent(dock.id)[1]).toMatchObject({
      type: 'calendar.blackout_withdrawn',
      data: { calendarId, googleEventId: dock.id, revision: 2 },
    });
  });

  it('puts back a Midas event deleted in Google, and one moved there, telling booking for the history each time', async () => {
    const { calendarId, booking, channel } = await linkedYacht();
    const id = googleEventId('booking', booking.bookingId);
    const cal = google.calendar(calendarId);
    await eventually(async () => cal.get(id));
    await eventually(async () => {
      const r = await h.pool.query('SELECT sync_state FROM calendar.entries WHERE ref = $1', [
        booking.bookingId,
      ]);
      return r.rows[0]?.sync_state === 'synced';
    });
    const changes = () =>
      h.observed.filter((e) => e.type === 'calendar.conflict' && e.data.itemId === booking.itemId);
    // Our own write, read back: nothing to put right.
    expect((await notify(channel, 'exists')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect(changes()).toHaveLength(0);

    // Someone deletes it in Google.
    google.edit(calendarId, id, { status: 'cancelled' });
    expect((await notify(channel, 'exists')).status).toBe(200);
    await eventually(async () => cal.get(id)?.status === 'confirmed');
    expect(cal.get(id)).toMatchObject({
      start: { dateTime: '2037-07-01T10:00:00+02:00' },
      end: { dateTime: '2037-07-01T18:00:00+02:00' },
    });
    await eventually(async () => changes().length === 1);
    expect(changes()[0]).toMatchObject({
      source: 'calendar',
      data: {
        kind: 'midas_event_changed',
        bookingIds: [booking.bookingId],
        googleEventId: id,
        summary: expect.stringContaining('deleted in Google Calendar'),
      },
    });

    // Someone drags it to another day.
    await eventually(async () => {
      const r = await h.pool.query('SELECT sync_state FROM calendar.entries WHERE ref = $1', [
        booking.bookingId,
      ]);
      return r.rows[0]?.sync_state === 'synced';
    });
    google.edit(calendarId, id, {
      start: { dateTime: '2037-07-02T10:00:00+02:00' },
      end: { dateTime: '2037-07-02T18:00:00+02:00' },
    });
    expect((await notify(channel, 'exists')).status).toBe(200);
    await eventually(async () => cal.get(id)?.start?.dateTime === '2037-07-01T10:00:00+02:00');
    await eventually(async () => changes().length === 2);
    expect(changes()[1]).toMatchObject({
      data: {
        kind: 'midas_event_changed',
        start: '2037-07-02T08:00:00.000Z',
        summary: expect.stringContaining('moved'),
      },
    });
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(/midas_calendar_put_back_total(\{[^}]*\})? [2-9]/);
    // Reading our own rewrite back changes nothing more.
    expect((await notify(channel, 'exists')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect(changes()).toHaveLength(2);
  });

  it('reads the whole calendar again when Google forgets the sync token, reporting nothing twice', async () => {
    const { calendarId, booking, channel } = await linkedYacht();
    google.addExternal(calendarId, {
      summary: 'Charter broker hold',
      start: { dateTime: '2037-07-15T08:00:00Z' },
      end: { dateTime: '2037-07-15T10:00:00Z' },
    });
    await notify(channel, 'exists');
    const mine = () => h.observed.filter((e) => e.data.itemId === booking.itemId);
    await eventually(async () => mine().length === 1);
    google.forgetTokensBefore = Number.MAX_SAFE_INTEGER;
    try {
      await notify(channel, 'exists');
      await eventually(async () => {
        const calls = google.calls.filter(
          (c) => c.method === 'GET' && c.path.includes(encodeURIComponent(calendarId)),
        );
        return calls.some((c) => c.status === 410) && calls[calls.length - 1]?.status === 200;
      });
    } finally {
      google.forgetTokensBefore = 0;
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(mine()).toHaveLength(1);
  });
});

describe('push channel renewal', () => {
  const google = new GoogleFake();
  let h: Harness;

  beforeAll(async () => {
    await google.start();
    // Channels asked for an hour lapse within the renewal horizon (a day) at once.
    h = await startHarness(google.env, { webhookUrl: WEBHOOK, channelTtlSeconds: 3600, renewEveryMs: 400 });
  });
  afterAll(async () => {
    await h?.close();
    await google.close();
  });

  it('opens a new channel before the old one lapses and stops the old one', async () => {
    const booking = bookingSummary();
    await h.publish('booking.created', booking);
    await h.entry('booking', booking.bookingId);
    const res = await call(h, `/v1/calendar/links/${booking.itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: 'renew@group.calendar.google.com' }),
    });
    const first = ((await res.json()) as { watch: { channelId: string } }).watch.channelId;
    await eventually(async () => google.channels.find((c) => c.id === first)?.stopped);
    const active = await h.pool.query(
      'SELECT id FROM calendar.watch_channels WHERE item_id = $1 AND stopped_at IS NULL',
      [booking.itemId],
    );
    expect(active.rowCount).toBe(1);
    expect(active.rows[0].id).not.toBe(first);
    // The old channel's notifications are no longer acted on.
    const old = google.channels.find((c) => c.id === first)!;
    const answer = await google.notify(old, 'exists', 99, {
      address: `${h.base}/v1/calendar/google/notifications`,
    });
    expect(answer.status).toBe(200);
  });
});
