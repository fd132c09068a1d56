/**
 * End to end through availability: events others put in an item's linked Google calendar (read
 * with googleapis from the local Calendar v3 server) become blackouts of the item under
 * availability's constraint, follow the event as it moves or is deleted, and become a
 * `calendar.conflict` instead when a booking is there.
 */
import { randomUUID } from 'node:crypto';
import { availabilityRpc } from '@midas/contracts';
import { Broker } from '@midas/messaging';
import { startService, type RunningService } from '@midas/runtime';
import { bearer, brokerScope, connectBroker, eventually, signToken, uniqueName } from '@midas/testing';
import { defineAvailabilityService } from '../../../availability/src/service';
import { GoogleFake, type FakeChannel, type FakeEvent } from '../support/google-fake';
import { call, startHarness, type Harness } from '../support/harness';

const WEBHOOK = 'https://calendar.midas.example/v1/calendar/google/notifications';

describe('outside events in a linked Google calendar as availability', () => {
  const google = new GoogleFake();
  let h: Harness;
  let availability: RunningService;
  let rpc: Broker;
  let availabilityUrl: string;
  let admin: Record<string, string>;
  let message = 1;

  beforeAll(async () => {
    await google.start();
    h = await startHarness(google.env, { webhookUrl: WEBHOOK });
    availability = await startService(defineAvailabilityService(), h.env.cfg, { port: 0 });
    availabilityUrl = `http://127.0.0.1:${availability.port}`;
    admin = bearer(await signToken({ role: 'admin', sub: 'admin-1' }));
    rpc = await connectBroker(brokerScope(h.env), 'booking-stand-in');
  }, 60_000);
  afterAll(async () => {
    await rpc?.close();
    await availability?.stop();
    await h?.close();
    await google.close();
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
  const notify = (channel: FakeChannel) =>
    google.notify(channel, 'exists', message++, { address: `${h.base}/v1/calendar/google/notifications` });

  /** A yacht (no turnaround buffer) in Monaco, linked to its own Google calendar and watched. */
  async function linkedYacht(bufferMinutes = 0) {
    const created = await api('/v1/items', {
      method: 'POST',
      body: JSON.stringify({
        type: 'yacht',
        name: uniqueName('Riva'),
        location: 'Monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        rate: { unit: 'hour', amount: 50_000 },
        bufferMinutes,
      }),
    });
    expect(created.status).toBe(201);
    const itemId = ((await created.json()) as { id: string }).id;
    // Calendar learns of the item from item.created.
    await eventually(
      async () => (await h.pool.query('SELECT 1 FROM calendar.items WHERE id = $1', [itemId])).rowCount,
    );
    const calendarId = `${uniqueName('yacht')}@group.calendar.google.com`;
    const res = await call(h, `/v1/calendar/links/${itemId}`, {
      method: 'PUT',
      body: JSON.stringify({ calendarId }),
    });
    expect(res.status).toBe(200);
    const link = (await res.json()) as { watch: { channelId: string } };
    const channel = google.channels.find((c) => c.id === link.watch.channelId)!;
    return { itemId, calendarId, channel };
  }

  const hold = (itemId: string, start: string, end: string) =>
    fetch(`${availabilityUrl}/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId, start, end }),
    });
  const release = async (res: Response) => {
    const body = (await res.json()) as { id: string; holdToken?: string };
    await fetch(`${availabilityUrl}/v1/holds/${body.id}`, {
      method: 'DELETE',
      headers: body.holdToken ? { 'hold-token': body.holdToken } : {},
    });
  };
  const outsideBlackouts = async (itemId: string) =>
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
  const change = (calendarId: string, event: FakeEvent, fields: Partial<FakeEvent>) =>
    google.calendar(calendarId).set(event.id, { ...event, ...fields, version: 1_000_000 + message });

  it('makes the slot of an outside event unavailable (a hold is refused with 409) and frees it when the event is deleted', async () => {
    const { itemId, calendarId, channel } = await linkedYacht();
    const owner = google.addExternal(calendarId, {
      summary: 'Owner cruise',
      start: { dateTime: '2037-08-01T10:00:00+02:00', timeZone: 'Europe/Monaco' },
      end: { dateTime: '2037-08-01T18:00:00+02:00', timeZone: 'Europe/Monaco' },
    });
    expect((await notify(channel)).status).toBe(200);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 1);
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-08-01T08:00:00.000Z', end: '2037-08-01T16:00:00.000Z', note: 'external' },
    ]);
    const taken = await hold(itemId, '2037-08-01T12:00:00Z', '2037-08-01T17:00:00Z');
    expect(taken.status).toBe(409);
    const check = await api(
      `/v1/availability?itemId=${itemId}&start=2037-08-01T12:00:00Z&end=2037-08-01T17:00:00Z`,
    );
    const reasons = ((await check.json()) as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(reasons).toContain('blackout');
    // Calendar keeps the blackout in its feed copy but never writes it back to Google as ours.
    await eventually(
      async () =>
        (
          await h.pool.query(`SELECT 1 FROM calendar.entries WHERE item_id = $1 AND kind = 'blackout'`, [
            itemId,
          ])
        ).rowCount,
    );
    expect(google.live(calendarId).map((e) => e.id)).toEqual([owner.id]);

    // The same notification again (a redelivery): still exactly one blackout.
    await notify(channel);
    await new Promise((r) => setTimeout(r, 500));
    expect(await outsideBlackouts(itemId)).toHaveLength(1);

    change(calendarId, owner, { status: 'cancelled' });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 0);
    const free = await hold(itemId, '2037-08-01T12:00:00Z', '2037-08-01T17:00:00Z');
    expect(free.status).toBe(201);
    await release(free);
  }, 60_000);

  it('moves the blackout when the event moves, shrinks or grows, and joins overlapping events into one', async () => {
    const { itemId, calendarId, channel } = await linkedYacht();
    const trip = google.addExternal(calendarId, {
      summary: 'Broker charter',
      start: { dateTime: '2037-08-05T08:00:00Z' },
      end: { dateTime: '2037-08-05T12:00:00Z' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 1);

    change(calendarId, trip, {
      start: { dateTime: '2037-08-06T08:00:00Z' },
      end: { dateTime: '2037-08-06T20:00:00Z' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId))[0]?.start === '2037-08-06T08:00:00.000Z');
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-08-06T08:00:00.000Z', end: '2037-08-06T20:00:00.000Z', note: 'external' },
    ]);
    expect((await hold(itemId, '2037-08-05T08:00:00Z', '2037-08-05T12:00:00Z')).status).toBe(201);
    expect((await hold(itemId, '2037-08-06T19:00:00Z', '2037-08-06T23:00:00Z')).status).toBe(409);

    // A second event overlapping the first: one blackout over both, split again when it goes.
    const crew = google.addExternal(calendarId, {
      summary: 'Crew training',
      start: { dateTime: '2037-08-06T18:00:00Z' },
      end: { dateTime: '2037-08-07T02:00:00Z' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId))[0]?.end === '2037-08-07T02:00:00.000Z');
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-08-06T08:00:00.000Z', end: '2037-08-07T02:00:00.000Z', note: 'external' },
    ]);
    change(calendarId, trip, {
      start: { dateTime: '2037-08-06T08:00:00Z' },
      end: { dateTime: '2037-08-06T10:00:00Z' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 2);
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-08-06T08:00:00.000Z', end: '2037-08-06T10:00:00.000Z', note: 'external' },
      { start: '2037-08-06T18:00:00.000Z', end: '2037-08-07T02:00:00.000Z', note: 'external' },
    ]);
    expect(crew.id).toBeTruthy();
  }, 60_000);

  it('blocks whole local days for an all-day event, the 25-hour day when clocks go back included', async () => {
    const { itemId, calendarId, channel } = await linkedYacht();
    google.addExternal(calendarId, {
      summary: 'Hull maintenance',
      start: { date: '2037-10-24' },
      end: { date: '2037-10-26' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 1);
    // 24 October 00:00 CEST to 26 October 00:00 CET: 49 hours.
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-10-23T22:00:00.000Z', end: '2037-10-25T23:00:00.000Z', note: 'external' },
    ]);
  }, 60_000);

  it('ignores free (transparent) and declined events', async () => {
    const { itemId, calendarId, channel } = await linkedYacht();
    google.addExternal(calendarId, {
      summary: 'FYI: regatta in port',
      transparency: 'transparent',
      start: { dateTime: '2037-08-10T08:00:00Z' },
      end: { dateTime: '2037-08-10T12:00:00Z' },
    });
    google.addExternal(calendarId, {
      summary: 'Declined viewing',
      attendees: [{ email: calendarId, self: true, responseStatus: 'declined' }],
      start: { dateTime: '2037-08-11T08:00:00Z' },
      end: { dateTime: '2037-08-11T12:00:00Z' },
    });
    const before = google.calls.length;
    await notify(channel);
    await eventually(async () => google.calls.slice(before).some((c) => c.method === 'GET'));
    await new Promise((r) => setTimeout(r, 800));
    expect(await outsideBlackouts(itemId)).toEqual([]);
    const res = await hold(itemId, '2037-08-10T08:00:00Z', '2037-08-10T12:00:00Z');
    expect(res.status).toBe(201);
    await release(res);
  }, 60_000);

  it('reports an outside event over a booking as calendar.conflict naming the booking, and blocks nothing; once the booking is cancelled the event blocks its time', async () => {
    const { itemId, calendarId, channel } = await linkedYacht(240);
    const bookingId = randomUUID();
    const held = await rpc.call(availabilityRpc.hold, {
      itemId,
      start: '2037-08-20T08:00:00.000Z',
      end: '2037-08-20T16:00:00.000Z',
      ref: bookingId,
    });
    await rpc.call(availabilityRpc.confirm, { holdId: held.holdId, bookingId });
    // Within the booking's 4-hour turnaround: the booking is in the way too.
    const clash = google.addExternal(calendarId, {
      summary: 'Owner wants the boat',
      start: { dateTime: '2037-08-20T18:00:00Z' },
      end: { dateTime: '2037-08-20T22:00:00Z' },
    });
    await notify(channel);
    const conflicts = () =>
      h.observed.filter((e) => e.type === 'calendar.conflict' && e.data.itemId === itemId);
    await eventually(async () => conflicts().length === 1);
    expect(conflicts()[0]).toMatchObject({
      source: 'availability',
      data: {
        itemId,
        calendarId,
        googleEventId: clash.id,
        start: '2037-08-20T18:00:00.000Z',
        end: '2037-08-20T22:00:00.000Z',
        summary: 'Owner wants the boat',
        bookingIds: [bookingId],
        timezone: 'Europe/Monaco',
      },
    });
    expect(await outsideBlackouts(itemId)).toEqual([]);
    const metrics = await (await fetch(`${availabilityUrl}/metrics`)).text();
    expect(metrics).toMatch(/midas_availability_outside_conflicts_total({[^}]*})? [1-9]/);

    // Read again with nothing new: no second conflict.
    await notify(channel);
    await new Promise((r) => setTimeout(r, 800));
    expect(conflicts()).toHaveLength(1);

    await rpc.call(availabilityRpc.release, { bookingId });
    await h.publish('booking.status_changed', {
      bookingId,
      itemId,
      itemType: 'yacht',
      itemName: 'Riva',
      location: 'Monaco',
      timezone: 'Europe/Monaco',
      start: '2037-08-20T08:00:00.000Z',
      end: '2037-08-20T16:00:00.000Z',
      status: 'cancelled',
      currency: 'EUR',
      total: 1,
      guest: { name: 'A', email: 'a@example.com' },
      customerId: 'c',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'customer',
    } as never);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 1);
    expect(await outsideBlackouts(itemId)).toEqual([
      { start: '2037-08-20T18:00:00.000Z', end: '2037-08-20T22:00:00.000Z', note: 'external' },
    ]);
  }, 60_000);

  it('refuses to lift an outside-event blackout by hand (409) and keeps it', async () => {
    const { itemId, calendarId, channel } = await linkedYacht();
    google.addExternal(calendarId, {
      summary: 'Other channel',
      start: { dateTime: '2037-09-01T08:00:00Z' },
      end: { dateTime: '2037-09-01T12:00:00Z' },
    });
    await notify(channel);
    await eventually(async () => (await outsideBlackouts(itemId)).length === 1);
    const row = await h.pool.query(
      `SELECT id FROM availability.allocations WHERE item_id = $1 AND kind = 'blackout' AND active`,
      [itemId],
    );
    const res = await api(`/v1/items/${itemId}/blackouts/${row.rows[0].id}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('outside_event');
    expect(await outsideBlackouts(itemId)).toHaveLength(1);
  }, 60_000);
});
