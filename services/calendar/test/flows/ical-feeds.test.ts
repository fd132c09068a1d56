/**
 * End to end through availability: other channels' iCalendar feeds (served by a local HTTP server
 * shaped like Airbnb's and Booking.com's exports) imported into items become blackouts that follow
 * the feed, a hold on an imported night is refused, an event over a booking is a conflict, and a
 * failing or unreadable feed is reported without disturbing anything.
 */
import { randomUUID } from 'node:crypto';
import { availabilityRpc } from '@midas/contracts';
import { Broker } from '@midas/messaging';
import { startService, type RunningService } from '@midas/runtime';
import {
  bearer,
  brokerScope,
  clearRedisNamespace,
  connectBroker,
  eventually,
  signToken,
  uniqueName,
} from '@midas/testing';
import { defineAvailabilityService } from '../../../availability/src/service';
import { airbnbReservation, bookingComClosed, FeedServer, ics } from '../support/feed-server';
import { call, startHarness, type Harness } from '../support/harness';

interface FeedJson {
  id: string;
  itemId: string;
  url: string;
  name: string;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
  eventsSeen: number;
  blocking: number;
  nextFetchAt: string;
}

describe('iCalendar feeds of other channels imported as blackouts', () => {
  const server = new FeedServer();
  let h: Harness;
  let availability: RunningService;
  let rpc: Broker;
  let availabilityUrl: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    await server.start();
    // The stays below are in 2037, past the default two-year horizon.
    h = await startHarness(
      { ICAL_IMPORT_ALLOW_PRIVATE: 'true' },
      { feeds: { repairEveryMs: 1000, horizonDays: 20 * 366 } },
    );
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    availabilityUrl = `http://127.0.0.1:${availability.port}`;
    admin = bearer(await signToken({ role: 'admin', sub: 'admin-1' }));
    rpc = await connectBroker(brokerScope(h.env), 'booking-stand-in');
  }, 60_000);
  afterAll(async () => {
    await rpc?.close();
    await availability?.stop();
    await h?.close();
    await server.close();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${availabilityUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...admin,
        ...((init.headers as Record<string, string>) ?? {}),
      },
    });

  /** A villa near Paris (no turnaround buffer), known to calendar. */
  async function villa(bufferMinutes = 0) {
    const created = await api('/v1/items', {
      method: 'POST',
      body: JSON.stringify({
        type: 'property',
        name: uniqueName('Villa'),
        location: 'Paris',
        timezone: 'Europe/Paris',
        currency: 'EUR',
        rate: { unit: 'night', amount: 90_000 },
        bufferMinutes,
      }),
    });
    expect(created.status).toBe(201);
    const itemId = ((await created.json()) as { id: string }).id;
    await eventually(
      async () => (await h.pool.query('SELECT 1 FROM calendar.items WHERE id = $1', [itemId])).rowCount,
    );
    return itemId;
  }

  const feeds = async (itemId: string) =>
    ((await (await call(h, `/v1/items/${itemId}/feeds`)).json()) as { items: FeedJson[] }).items;
  const feedOf = async (itemId: string, feedId: string) =>
    (await feeds(itemId)).find((f) => f.id === feedId)!;

  /** Registers a feed and waits for its first fetch to finish. */
  async function addFeed(itemId: string, path: string, name = 'Airbnb') {
    const res = await call(h, `/v1/items/${itemId}/feeds`, {
      method: 'POST',
      body: JSON.stringify({ url: server.url(path), name }),
    });
    expect(res.status).toBe(201);
    const feed = (await res.json()) as FeedJson;
    await eventually(async () => {
      const f = await feedOf(itemId, feed.id);
      return (f.lastSuccessAt || f.lastErrorAt) && f;
    });
    return feed;
  }

  /** Fetches the feed now and waits until that fetch is recorded. */
  async function refetch(itemId: string, feedId: string): Promise<FeedJson> {
    const before = await feedOf(itemId, feedId);
    const mark = (f: FeedJson) => `${f.lastSuccessAt}|${f.lastErrorAt}|${f.consecutiveFailures}`;
    const res = await call(h, `/v1/items/${itemId}/feeds/${feedId}/fetch`, { method: 'POST' });
    expect(res.status).toBe(202);
    return eventually(async () => {
      const f = await feedOf(itemId, feedId);
      return mark(f) !== mark(before) && f;
    });
  }

  const blackouts = async (itemId: string) =>
    (
      await h.pool.query(
        `SELECT lower(period) AS start, upper(period) AS "end", note FROM availability.allocations
         WHERE item_id = $1 AND kind = 'blackout' AND active AND created_by = 'calendar' ORDER BY lower(period)`,
        [itemId],
      )
    ).rows.map((r: { start: Date; end: Date; note: string }) => ({
      start: r.start.toISOString(),
      end: r.end.toISOString(),
      note: r.note,
    }));
  const waitBlackouts = async (itemId: string, expected: { start: string; end: string }[]) => {
    const want = expected.map((e) => ({ ...e, note: 'external' }));
    await eventually(
      async () => JSON.stringify(await blackouts(itemId)) === JSON.stringify(want),
      15_000,
    ).catch(() => undefined);
    expect(await blackouts(itemId)).toEqual(want);
  };
  const hold = (itemId: string, start: string, end: string) =>
    fetch(`${availabilityUrl}/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId, start, end }),
    });

  it('blocks Airbnb-style all-day reservations as whole local days (23 hours when clocks go forward), refuses a hold on an imported night with 409, follows the reservation as it moves and frees it when it goes, answering 304s without change', async () => {
    const itemId = await villa();
    const path = `/airbnb/${randomUUID()}.ics`;
    server.set(path, { body: ics([airbnbReservation('r1', '2037-03-28', '2037-03-30')]) });
    const feed = await addFeed(itemId, path);
    // Paris moves to summer time on 29 March 2037: the 28th starts at +01:00, the 30th at +02:00.
    await waitBlackouts(itemId, [{ start: '2037-03-27T23:00:00.000Z', end: '2037-03-29T22:00:00.000Z' }]);
    const first = await feedOf(itemId, feed.id);
    expect(first).toMatchObject({ eventsSeen: 1, blocking: 1, lastError: null, failingSince: null });

    const taken = await hold(itemId, '2037-03-28T14:00:00Z', '2037-03-29T14:00:00Z');
    expect(taken.status).toBe(409);
    const check = await api(
      `/v1/availability?itemId=${itemId}&start=2037-03-29T10:00:00Z&end=2037-03-29T12:00:00Z`,
    );
    const body = (await check.json()) as { available: boolean; reasons: { code: string }[] };
    expect(body.available).toBe(false);
    expect(body.reasons.map((r) => r.code)).toContain('blackout');

    // Unchanged: the conditional request is answered 304 and nothing moves.
    const again = await refetch(itemId, feed.id);
    const last = server.requestsTo(path).at(-1)!;
    expect(last.answered).toBe(304);
    expect(last.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(last.headers['if-modified-since']).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(again.lastError).toBeNull();
    expect(Date.parse(again.lastSuccessAt!)).toBeGreaterThan(Date.parse(first.lastSuccessAt!));
    await waitBlackouts(itemId, [{ start: '2037-03-27T23:00:00.000Z', end: '2037-03-29T22:00:00.000Z' }]);

    // The guest moves the stay: the blackout follows, the old nights are free again.
    server.set(path, { body: ics([airbnbReservation('r1', '2037-04-10', '2037-04-12')]) });
    await refetch(itemId, feed.id);
    await waitBlackouts(itemId, [{ start: '2037-04-09T22:00:00.000Z', end: '2037-04-11T22:00:00.000Z' }]);
    const free = await hold(itemId, '2037-03-28T14:00:00Z', '2037-03-29T14:00:00Z');
    expect(free.status).toBe(201);

    // A second reservation appears, then the first is cancelled on Airbnb (gone from the feed).
    server.set(path, {
      body: ics([
        airbnbReservation('r1', '2037-04-10', '2037-04-12'),
        airbnbReservation('r2', '2037-05-01', '2037-05-03'),
      ]),
    });
    await refetch(itemId, feed.id);
    await waitBlackouts(itemId, [
      { start: '2037-04-09T22:00:00.000Z', end: '2037-04-11T22:00:00.000Z' },
      { start: '2037-04-30T22:00:00.000Z', end: '2037-05-02T22:00:00.000Z' },
    ]);
    server.set(path, { body: ics([airbnbReservation('r2', '2037-05-01', '2037-05-03')]) });
    await refetch(itemId, feed.id);
    await waitBlackouts(itemId, [{ start: '2037-04-30T22:00:00.000Z', end: '2037-05-02T22:00:00.000Z' }]);
    expect(await feedOf(itemId, feed.id)).toMatchObject({ eventsSeen: 1, blocking: 1 });
  }, 90_000);

  it('imports Booking.com "CLOSED - Not available" periods and a recurring weekly block (EXDATE skipped, a moved occurrence followed), ignoring free, cancelled and past events', async () => {
    const itemId = await villa();
    const path = `/booking/${randomUUID()}.ics`;
    const weekly = [
      'UID:maintenance-weekly@owner.example',
      'DTSTAMP:20261201T100000Z',
      'DTSTART;TZID=Europe/Paris:20370105T090000',
      'DTEND;TZID=Europe/Paris:20370105T120000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'EXDATE;TZID=Europe/Paris:20370112T090000',
      'SUMMARY:Pool maintenance',
    ];
    const moved = [
      'UID:maintenance-weekly@owner.example',
      'DTSTAMP:20261201T100000Z',
      'RECURRENCE-ID;TZID=Europe/Paris:20370119T090000',
      'DTSTART;TZID=Europe/Paris:20370119T140000',
      'DTEND;TZID=Europe/Paris:20370119T150000',
      'SUMMARY:Pool maintenance (afternoon)',
    ];
    server.set(path, {
      body: ics([
        bookingComClosed('2024-closed-1', '2037-02-10', '2037-02-13'),
        weekly,
        moved,
        [
          'UID:free@x',
          'DTSTART:20370301T100000Z',
          'DTEND:20370301T110000Z',
          'TRANSP:TRANSPARENT',
          'SUMMARY:Note',
        ],
        [
          'UID:gone@x',
          'DTSTART:20370302T100000Z',
          'DTEND:20370302T110000Z',
          'STATUS:CANCELLED',
          'SUMMARY:Off',
        ],
        [
          'UID:past@x',
          'DTSTART;VALUE=DATE:20200101',
          'DTEND;VALUE=DATE:20200105',
          'SUMMARY:CLOSED - Not available',
        ],
      ]),
    });
    const feed = await addFeed(itemId, path, 'Booking.com');
    await waitBlackouts(itemId, [
      { start: '2037-01-05T08:00:00.000Z', end: '2037-01-05T11:00:00.000Z' },
      { start: '2037-01-19T13:00:00.000Z', end: '2037-01-19T14:00:00.000Z' },
      { start: '2037-01-26T08:00:00.000Z', end: '2037-01-26T11:00:00.000Z' },
      { start: '2037-02-09T23:00:00.000Z', end: '2037-02-12T23:00:00.000Z' },
    ]);
    expect(await feedOf(itemId, feed.id)).toMatchObject({ eventsSeen: 6, blocking: 4 });
    expect((await hold(itemId, '2037-01-12T00:00:00Z', '2037-01-13T00:00:00Z')).status).toBe(201);
    expect((await hold(itemId, '2037-02-11T10:00:00Z', '2037-02-12T10:00:00Z')).status).toBe(409);
    // The blackouts name the feed and the event.
    const sources = await h.pool.query(
      `SELECT source FROM availability.outside_events WHERE item_id = $1 AND start_at IS NOT NULL ORDER BY source`,
      [itemId],
    );
    expect(sources.rows.map((r: { source: string }) => r.source)).toContain(`ical:${feed.id}/2024-closed-1`);
  }, 90_000);

  it('reports an imported event over a Midas booking as calendar.conflict naming the booking and the feed, and still blocks the rest of the feed', async () => {
    const itemId = await villa();
    const bookingId = randomUUID();
    const held = await rpc.call(availabilityRpc.hold, {
      itemId,
      start: '2037-06-10T14:00:00.000Z',
      end: '2037-06-13T09:00:00.000Z',
      ref: bookingId,
    });
    await rpc.call(availabilityRpc.confirm, { holdId: held.holdId, bookingId });
    const path = `/vrbo/${randomUUID()}.ics`;
    server.set(path, {
      body: ics([
        airbnbReservation('clash', '2037-06-12', '2037-06-14'),
        airbnbReservation('fine', '2037-07-01', '2037-07-03'),
      ]),
    });
    const feed = await addFeed(itemId, path, 'VRBO');
    const conflicts = () =>
      h.observed.filter((e) => e.type === 'calendar.conflict' && e.data.itemId === itemId);
    await eventually(async () => conflicts().length === 1, 15_000);
    expect(conflicts()[0]).toMatchObject({
      source: 'availability',
      data: {
        itemId,
        calendarId: `ical:${feed.id}`,
        googleEventId: 'clash@airbnb.com',
        start: '2037-06-11T22:00:00.000Z',
        end: '2037-06-13T22:00:00.000Z',
        summary: 'VRBO: Reserved',
        bookingIds: [bookingId],
        timezone: 'Europe/Paris',
      },
    });
    await waitBlackouts(itemId, [{ start: '2037-06-30T22:00:00.000Z', end: '2037-07-02T22:00:00.000Z' }]);
    // Fetched again unchanged: no second conflict.
    await refetch(itemId, feed.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(conflicts()).toHaveLength(1);
  }, 90_000);

  it('reports a malformed feed, a failing channel and a feed over the size limit on the feed, in GET /v1/calendar/status and in metrics, keeping its blackouts and leaving other feeds alone; a 10 MB feed is read', async () => {
    const itemId = await villa();
    const good = `/ok/${randomUUID()}.ics`;
    const flaky = `/flaky/${randomUUID()}.ics`;
    server.set(good, { body: ics([airbnbReservation('g1', '2037-09-01', '2037-09-03')]) });
    server.set(flaky, { body: ics([bookingComClosed('f1', '2037-09-10', '2037-09-12')]) });
    const healthy = await addFeed(itemId, good, 'Airbnb');
    const broken = await addFeed(itemId, flaky, 'Booking.com');
    const both = [
      { start: '2037-08-31T22:00:00.000Z', end: '2037-09-02T22:00:00.000Z' },
      { start: '2037-09-09T22:00:00.000Z', end: '2037-09-11T22:00:00.000Z' },
    ];
    await waitBlackouts(itemId, both);

    // An HTML error page where the feed was, answered 200.
    server.set(flaky, {
      body: '<html><body>Service temporarily unavailable</body></html>',
      contentType: 'text/html',
    });
    let f = await refetch(itemId, broken.id);
    expect(f.lastError).toMatch(/not an iCalendar feed/);
    expect(f.failingSince).not.toBeNull();
    expect(f.consecutiveFailures).toBe(1);
    // A calendar cut short.
    server.set(flaky, { body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n' });
    f = await refetch(itemId, broken.id);
    expect(f.lastError).toMatch(/not an iCalendar feed/);
    // The channel itself failing.
    server.set(flaky, { status: 503 });
    f = await refetch(itemId, broken.id);
    expect(f).toMatchObject({ lastError: 'feed answered 503', consecutiveFailures: 3 });
    // Backoff: the third failure in a row waits four intervals.
    expect(Date.parse(f.nextFetchAt) - Date.parse(f.lastErrorAt!)).toBe(4 * 600_000);
    await waitBlackouts(itemId, both);

    const status = (await (await call(h, `/v1/calendar/status?itemId=${itemId}`)).json()) as {
      feeds: { total: number; failing: number; items: FeedJson[] };
    };
    expect(status.feeds.total).toBe(2);
    expect(status.feeds.failing).toBe(1);
    expect(status.feeds.items[0]).toMatchObject({
      id: broken.id,
      lastError: 'feed answered 503',
      consecutiveFailures: 3,
    });
    expect(status.feeds.items[1]).toMatchObject({ id: healthy.id, failingSince: null, eventsSeen: 1 });
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    const series = (name: string, label: string) => new RegExp(`${name}{[^}]*${label}[^}]*} ([0-9.e+]+)\\n`);
    expect(
      Number(series('midas_calendar_feed_fetches_total', 'outcome="failed"').exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(3);
    expect(
      Number(series('midas_calendar_feed_failing_seconds', `feed="${broken.id}"`).exec(metrics)?.[1]),
    ).toBeGreaterThan(0);
    expect(series('midas_calendar_feed_failing_seconds', `feed="${healthy.id}"`).exec(metrics)?.[1]).toBe(
      '0',
    );
    expect(series('midas_calendar_feed_events_seen', `feed="${healthy.id}"`).exec(metrics)?.[1]).toBe('1');
    const longest = /midas_calendar_feed_max_failing_seconds(?:{[^}]*})? ([0-9.e+]+)\n/.exec(metrics)?.[1];
    expect(Number(longest)).toBeGreaterThan(0);
    const lastSuccess = Number(
      series('midas_calendar_feed_last_success_timestamp_seconds', `feed="${healthy.id}"`).exec(metrics)?.[1],
    );
    expect(Math.abs(lastSuccess * 1000 - Date.now())).toBeLessThan(120_000);

    // The healthy feed keeps working meanwhile.
    server.set(good, { body: ics([airbnbReservation('g1', '2037-09-02', '2037-09-04')]) });
    await refetch(itemId, healthy.id);
    await waitBlackouts(itemId, [
      { start: '2037-09-01T22:00:00.000Z', end: '2037-09-03T22:00:00.000Z' },
      { start: '2037-09-09T22:00:00.000Z', end: '2037-09-11T22:00:00.000Z' },
    ]);

    // A 10 MB feed (years of past stays with long descriptions, and one ahead) is read.
    const padding = `DESCRIPTION:${'Guest notes and house rules. '.repeat(60)}`;
    const past: string[][] = [];
    for (let i = 0; past.length * 1900 < 10 * 1024 * 1024; i++) {
      const day = new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      const next = new Date(Date.UTC(2010, 0, 2) + i * 86_400_000).toISOString().slice(0, 10);
      past.push([...bookingComClosed(`old-${i}`, day, next), padding]);
    }
    const big = ics([...past, bookingComClosed('f2', '2037-09-20', '2037-09-21')]);
    expect(Buffer.byteLength(big)).toBeGreaterThan(10 * 1024 * 1024);
    server.set(flaky, { body: big });
    f = await refetch(itemId, broken.id);
    expect(f).toMatchObject({ failingSince: null, consecutiveFailures: 0, eventsSeen: 1 });
    await waitBlackouts(itemId, [
      { start: '2037-09-01T22:00:00.000Z', end: '2037-09-03T22:00:00.000Z' },
      { start: '2037-09-19T22:00:00.000Z', end: '2037-09-20T22:00:00.000Z' },
    ]);

    // Over the 16 MiB limit: refused unread, nothing changes.
    const huge = ics([
      ...past,
      ...past.slice(0, Math.ceil(past.length * 0.65)),
      bookingComClosed('f3', '2037-10-01', '2037-10-02'),
    ]);
    expect(Buffer.byteLength(huge)).toBeGreaterThan(16 * 1024 * 1024);
    server.set(flaky, { body: huge });
    f = await refetch(itemId, broken.id);
    expect(f.lastError).toMatch(/over the 16777216 byte limit/);
    await waitBlackouts(itemId, [
      { start: '2037-09-01T22:00:00.000Z', end: '2037-09-03T22:00:00.000Z' },
      { start: '2037-09-19T22:00:00.000Z', end: '2037-09-20T22:00:00.000Z' },
    ]);
  }, 180_000);

  it('follows redirects up to five hops and refuses more', async () => {
    const itemId = await villa();
    const target = `/final/${randomUUID()}.ics`;
    server.set(target, { body: ics([airbnbReservation('rd', '2037-11-01', '2037-11-02')]) });
    const hops = Array.from({ length: 7 }, () => `/hop/${randomUUID()}`);
    hops.forEach((p, i) =>
      server.set(p, { redirect: i === hops.length - 1 ? server.url(target) : hops[i + 1]!, status: 301 }),
    );
    const short = await addFeed(itemId, hops[hops.length - 5]!, 'Short chain');
    expect((await feedOf(itemId, short.id)).lastError).toBeNull();
    await waitBlackouts(itemId, [{ start: '2037-10-31T23:00:00.000Z', end: '2037-11-01T23:00:00.000Z' }]);
    const long = await addFeed(itemId, hops[0]!, 'Long chain');
    expect((await feedOf(itemId, long.id)).lastError).toBe('more than 5 redirects');
  }, 60_000);

  it('deletes a feed and frees what it blocked; a feed of an unknown item or unknown feed is 404, the same URL twice 409, bad input 400', async () => {
    const itemId = await villa();
    const path = `/del/${randomUUID()}.ics`;
    server.set(path, { body: ics([airbnbReservation('d1', '2037-12-01', '2037-12-03')]) });
    const feed = await addFeed(itemId, path);
    await waitBlackouts(itemId, [{ start: '2037-11-30T23:00:00.000Z', end: '2037-12-02T23:00:00.000Z' }]);

    const twice = await call(h, `/v1/items/${itemId}/feeds`, {
      method: 'POST',
      body: JSON.stringify({ url: server.url(path), name: 'Again' }),
    });
    expect(twice.status).toBe(409);
    for (const body of [
      { url: 'not a url', name: 'x' },
      { url: 'ftp://example.com/feed.ics', name: 'x' },
      { url: server.url('/x'), name: '' },
      { url: server.url('/x'), name: 'x', intervalSeconds: 5 },
      { url: server.url('/x'), name: 'x', extra: true },
    ]) {
      const res = await call(h, `/v1/items/${itemId}/feeds`, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const unknownItem = await call(h, `/v1/items/${randomUUID()}/feeds`, {
      method: 'POST',
      body: JSON.stringify({ url: server.url('/x'), name: 'x' }),
    });
    expect(unknownItem.status).toBe(404);
    expect((await call(h, `/v1/items/${itemId}/feeds/${randomUUID()}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await call(h, `/v1/items/${randomUUID()}/feeds/${feed.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    const customer = await signToken({ role: 'customer', sub: 'c1' });
    expect((await call(h, `/v1/items/${itemId}/feeds`, { token: customer })).status).toBe(403);
    expect((await call(h, `/v1/items/${itemId}/feeds`, { token: null })).status).toBe(401);

    expect((await call(h, `/v1/items/${itemId}/feeds/${feed.id}`, { method: 'DELETE' })).status).toBe(204);
    await waitBlackouts(itemId, []);
    expect(await feeds(itemId)).toEqual([]);
  }, 60_000);

  it('fetches feeds again from PostgreSQL when Redis lost their jobs', async () => {
    const itemId = await villa();
    const path = `/repair/${randomUUID()}.ics`;
    server.set(path, { body: ics([airbnbReservation('p1', '2038-01-10', '2038-01-11')]) });
    const feed = await addFeed(itemId, path);
    await waitBlackouts(itemId, [{ start: '2038-01-09T23:00:00.000Z', end: '2038-01-10T23:00:00.000Z' }]);
    server.set(path, { body: ics([airbnbReservation('p1', '2038-01-20', '2038-01-21')]) });
    // Redis loses everything (the delayed fetch and the repair scheduler); the feed is overdue.
    await clearRedisNamespace(h.env.namespace);
    await h.pool.query(
      `UPDATE calendar.ical_feeds SET next_fetch_at = now() - interval '5 minutes' WHERE id = $1`,
      [feed.id],
    );
    await eventually(async () => (await blackouts(itemId))[0]?.start === '2038-01-19T23:00:00.000Z', 30_000);
    expect(await blackouts(itemId)).toEqual([
      { start: '2038-01-19T23:00:00.000Z', end: '2038-01-20T23:00:00.000Z', note: 'external' },
    ]);
  }, 60_000);
});
