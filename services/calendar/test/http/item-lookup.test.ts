/**
 * An item created before calendar first consumed item events (and not booked since) is asked of
 * availability when a feed token or a calendar link is made for it; an id availability does not
 * know stays a 404, and with availability away the answer is a 503 that stores nothing.
 */
import { randomUUID } from 'node:crypto';
import { startService, type RunningService } from '@midas/runtime';
import { defineAvailabilityService } from '../../../availability/src/service';
import { call, startHarness, type Harness } from '../support/harness';

describe('items calendar has no copy of', () => {
  let h: Harness;
  let availability: RunningService | undefined;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await availability?.stop();
    await h?.close();
  });

  /** An item in availability's own table only, as one made before calendar existed. */
  async function itemBeforeCalendar(): Promise<string> {
    const id = randomUUID();
    await h.pool.query(
      `INSERT INTO availability.items (id, type, name, location, timezone, currency, rate_unit, rate_amount,
         buffer_minutes, min_notice_minutes, min_duration, max_duration)
       VALUES ($1, 'yacht', 'Old Sea Breeze', 'Monaco', 'Europe/Monaco', 'EUR', 'day', 500000, 240, 0, 'PT4H', 'P30D')`,
      [id],
    );
    return id;
  }

  const calendarCopy = async (id: string) =>
    (await h.pool.query('SELECT id, type, name, timezone FROM calendar.items WHERE id = $1', [id])).rows;

  it('answers 503 and stores nothing while availability cannot be asked', async () => {
    // Availability's schema without its process: the item exists, nobody answers for it.
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    await availability.stop();
    availability = undefined;
    const id = await itemBeforeCalendar();
    const res = await call(h, `/v1/calendar/feeds/${id}/token`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await calendarCopy(id)).toEqual([]);
  }, 60_000);

  it('copies the item from availability on first use, for a feed token and for a link', async () => {
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    const forFeed = await itemBeforeCalendar();
    const token = await call(h, `/v1/calendar/feeds/${forFeed}/token`, { method: 'POST' });
    expect(token.status).toBe(201);
    expect(await calendarCopy(forFeed)).toEqual([
      { id: forFeed, type: 'yacht', name: 'Old Sea Breeze', timezone: 'Europe/Monaco' },
    ]);
    const { url } = (await token.json()) as { url: string };
    const feedUrl = new URL(url, h.base);
    const feed = await fetch(`${h.base}${feedUrl.pathname}${feedUrl.search}`);
    expect(feed.status).toBe(200);

    const forLink = await itemBeforeCalendar();
    const link = await call(h, `/v1/calendar/links/${forLink}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId: 'fleet@group.calendar.google.com' }),
    });
    expect(link.status).toBe(200);
    expect(await calendarCopy(forLink)).toHaveLength(1);
  }, 60_000);

  it('still answers 404 for an item availability does not know either', async () => {
    const unknown = randomUUID();
    const res = await call(h, `/v1/calendar/feeds/${unknown}/token`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await calendarCopy(unknown)).toEqual([]);
  }, 30_000);
});
