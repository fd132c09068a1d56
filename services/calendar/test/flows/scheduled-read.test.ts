/**
 * A lost push costs one period, not a conflict: every linked calendar is also read on a schedule
 * (CALENDAR_POLL_SECONDS, here 2 s), so an outside event Google never pushed still blocks its
 * slot in availability.
 */
import { startService, type RunningService } from '@midas/runtime';
import { bearer, eventually, signToken, uniqueName } from '@midas/testing';
import { defineAvailabilityService } from '../../../availability/src/service';
import { GoogleFake } from '../support/google-fake';
import { call, startHarness, type Harness } from '../support/harness';

const POLL_SECONDS = 2;

describe('the scheduled read of every linked calendar', () => {
  const google = new GoogleFake();
  let h: Harness;
  let availability: RunningService;
  let availabilityUrl: string;

  beforeAll(async () => {
    await google.start();
    h = await startHarness(
      { ...google.env, CALENDAR_POLL_SECONDS: String(POLL_SECONDS) },
      // Channels are opened, but no push is ever delivered in this file.
      { webhookUrl: 'https://calendar.midas.example/v1/calendar/google/notifications' },
    );
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    availabilityUrl = `http://127.0.0.1:${availability.port}`;
  }, 60_000);
  afterAll(async () => {
    await availability?.stop();
    await h?.close();
    await google.close();
  });

  it('blocks the slot of an outside event within one period though its push was lost, and frees it after the event is deleted', async () => {
    const admin = bearer(await signToken({ role: 'admin', sub: 'admin-1' }));
    const created = await fetch(`${availabilityUrl}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({
        type: 'car',
        name: uniqueName('Ferrari'),
        location: 'Monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        rate: { unit: 'hour', amount: 20_000 },
        bufferMinutes: 0,
      }),
    });
    const itemId = ((await created.json()) as { id: string }).id;
    await eventually(
      async () => (await h.pool.query('SELECT 1 FROM calendar.items WHERE id = $1', [itemId])).rowCount,
    );
    const calendarId = `${uniqueName('car')}@group.calendar.google.com`;
    const link = await call(h, `/v1/calendar/links/${itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId }),
    });
    expect(link.status).toBe(200);
    // The first scheduled read stores a sync token; the event comes after it.
    await eventually(
      async () =>
        (await h.pool.query('SELECT sync_token FROM calendar.links WHERE item_id = $1', [itemId])).rows[0]
          ?.sync_token,
    );
    const hold = (start: string, end: string) =>
      fetch(`${availabilityUrl}/v1/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ itemId, start, end }),
      });

    const event = google.addExternal(calendarId, {
      summary: 'Rented on another site',
      start: { dateTime: '2037-08-01T08:00:00Z' },
      end: { dateTime: '2037-08-01T20:00:00Z' },
    });
    const blackouts = async () =>
      (
        await h.pool.query(
          `SELECT 1 FROM availability.allocations WHERE item_id = $1 AND kind = 'blackout' AND active`,
          [itemId],
        )
      ).rowCount;
    // One period, plus the time a read and availability's transaction take on a busy machine.
    await eventually(async () => (await blackouts()) === 1, POLL_SECONDS * 1000 + 4000);
    expect((await hold('2037-08-01T10:00:00Z', '2037-08-01T12:00:00Z')).status).toBe(409);
    const pulls = google.calls.filter(
      (c) => c.method === 'GET' && c.path.includes(encodeURIComponent(calendarId)),
    );
    expect(pulls.length).toBeGreaterThanOrEqual(2);

    google.edit(calendarId, event.id, { status: 'cancelled' });
    await eventually(async () => (await blackouts()) === 0, POLL_SECONDS * 1000 + 4000);
    expect((await hold('2037-08-01T10:00:00Z', '2037-08-01T12:00:00Z')).status).toBe(201);
  }, 60_000);
});
