/**
 * Two Midas installations kept in step: a second installation (its own database schemas, broker
 * namespace and Redis prefix) imports the iCalendar feed the first one exports for an item, and its
 * availability blocks the first one's bookings; a booking cancelled there frees the time here.
 */
import { randomUUID } from 'node:crypto';
import { startService, type RunningService } from '@midas/runtime';
import { bearer, eventually, signToken, uniqueName } from '@midas/testing';
import { defineAvailabilityService } from '../../../availability/src/service';
import { bookingSummary, call, startHarness, type Harness } from '../support/harness';

describe('a Midas importing the feed another Midas exports', () => {
  let exporter: Harness;
  let importer: Harness;
  let availability: RunningService;
  let availabilityUrl: string;

  beforeAll(async () => {
    exporter = await startHarness();
    importer = await startHarness(
      { ICAL_IMPORT_ALLOW_PRIVATE: 'true' },
      { feeds: { horizonDays: 20 * 366 } },
    );
    availability = await startService(defineAvailabilityService(), importer.env.cfg, { port: 0 });
    availabilityUrl = `http://127.0.0.1:${availability.port}`;
  }, 90_000);
  afterAll(async () => {
    await availability?.stop();
    await importer?.close();
    await exporter?.close();
  });

  const blackouts = async (itemId: string) =>
    (
      await importer.pool.query(
        `SELECT lower(period) AS start, upper(period) AS "end" FROM availability.allocations
         WHERE item_id = $1 AND kind = 'blackout' AND active AND created_by = 'calendar' ORDER BY lower(period)`,
        [itemId],
      )
    ).rows.map((r: { start: Date; end: Date }) => ({
      start: r.start.toISOString(),
      end: r.end.toISOString(),
    }));

  it("blocks the exporting installation's bookings and blackouts, and frees a booking cancelled there", async () => {
    // The first installation: a yacht with two bookings and a maintenance blackout.
    const theirs = randomUUID();
    const a = bookingSummary({
      itemId: theirs,
      start: '2037-07-01T08:00:00.000Z',
      end: '2037-07-01T16:00:00.000Z',
    });
    const b = bookingSummary({
      itemId: theirs,
      start: '2037-07-03T08:00:00.000Z',
      end: '2037-07-03T12:00:00.000Z',
    });
    await exporter.publish('booking.created', a);
    await exporter.publish('booking.created', b);
    await exporter.publish('blackout.created', {
      blackoutId: randomUUID(),
      itemId: theirs,
      start: '2037-07-05T00:00:00.000Z',
      end: '2037-07-06T00:00:00.000Z',
      reason: 'Hull cleaning',
    });
    await exporter.entry('booking', a.bookingId);
    await exporter.entry('booking', b.bookingId);
    const token = await call(exporter, `/v1/calendar/feeds/${theirs}/token`, { method: 'POST' });
    const { url } = (await token.json()) as { url: string };

    // The second installation: the same yacht as its own item.
    const admin = bearer(await signToken({ role: 'admin', sub: 'admin-2' }));
    const created = await fetch(`${availabilityUrl}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
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
    const ours = ((await created.json()) as { id: string }).id;
    await eventually(
      async () => (await importer.pool.query('SELECT 1 FROM calendar.items WHERE id = $1', [ours])).rowCount,
    );
    const added = await call(importer, `/v1/items/${ours}/feeds`, {
      method: 'POST',
      body: JSON.stringify({ url, name: 'Midas Monaco' }),
    });
    expect(added.status).toBe(201);
    const feedId = ((await added.json()) as { id: string }).id;

    const expected = [
      { start: '2037-07-01T08:00:00.000Z', end: '2037-07-01T16:00:00.000Z' },
      { start: '2037-07-03T08:00:00.000Z', end: '2037-07-03T12:00:00.000Z' },
      { start: '2037-07-05T00:00:00.000Z', end: '2037-07-06T00:00:00.000Z' },
    ];
    await eventually(async () => JSON.stringify(await blackouts(ours)) === JSON.stringify(expected), 20_000);
    const hold = await fetch(`${availabilityUrl}/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId: ours, start: '2037-07-01T10:00:00Z', end: '2037-07-01T15:00:00Z' }),
    });
    expect(hold.status).toBe(409);

    // Booking a is cancelled in the first installation; its feed marks it CANCELLED.
    await exporter.publish('booking.status_changed', {
      ...a,
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'system',
    });
    await exporter.entry('booking', a.bookingId, 1);
    expect((await call(importer, `/v1/items/${ours}/feeds/${feedId}/fetch`, { method: 'POST' })).status).toBe(
      202,
    );
    await eventually(
      async () => JSON.stringify(await blackouts(ours)) === JSON.stringify(expected.slice(1)),
      20_000,
    );

    // Fetched again unchanged: the exporter's ETag answers 304.
    const before = await importer.pool.query(
      'SELECT etag, last_success_at FROM calendar.ical_feeds WHERE id = $1',
      [feedId],
    );
    expect(before.rows[0].etag).toBeTruthy();
    await call(importer, `/v1/items/${ours}/feeds/${feedId}/fetch`, { method: 'POST' });
    await eventually(async () => {
      const r = await importer.pool.query('SELECT last_success_at FROM calendar.ical_feeds WHERE id = $1', [
        feedId,
      ]);
      return (
        (r.rows[0].last_success_at as Date).getTime() > (before.rows[0].last_success_at as Date).getTime()
      );
    });
    await eventually(async () =>
      /midas_calendar_feed_fetches_total{[^}]*outcome="not_modified"[^}]*} [1-9]/.test(
        await (await fetch(`${importer.base}/metrics`)).text(),
      ),
    );
    expect(await blackouts(ours)).toEqual(expected.slice(1));
  }, 120_000);
});
