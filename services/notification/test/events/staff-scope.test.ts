import { bearer, eventually, signToken } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../support/harness';

describe('communications record scoped like the booking', () => {
  let h: Harness;
  let base: string;
  let admin: string;
  const assigned = 'concierge-assigned-1';
  let booking: ReturnType<typeof bookingSummary>;
  let messageId: string;

  beforeAll(async () => {
    h = await startHarness({});
    base = `http://127.0.0.1:${h.service.port}/v1/notifications`;
    admin = await signToken({ role: 'admin' });
    booking = bookingSummary({ location: 'Monaco', conciergeId: assigned, status: 'concierge_assigned' });
    await h.publish('booking.status_changed', {
      ...booking,
      from: 'confirmed',
      to: 'concierge_assigned',
      actor: 'system',
    });
    await h.publish('booking.status_changed', {
      ...booking,
      status: 'cancelled',
      from: 'concierge_assigned',
      to: 'cancelled',
      actor: 'system',
    });
    messageId = await eventually(async () => {
      const res = await fetch(`${base}?bookingId=${booking.bookingId}`, { headers: bearer(admin) });
      const body = (await res.json()) as { items: { id: string }[] };
      return body.items[0]?.id;
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const statuses = async (token: string) => [
    (await fetch(`${base}?bookingId=${booking.bookingId}`, { headers: bearer(token) })).status,
    (await fetch(`${base}/${messageId}`, { headers: bearer(token) })).status,
  ];

  it('lets the assigned concierge, a concierge of the location and admins read the record', async () => {
    expect(await statuses(await signToken({ role: 'concierge', sub: assigned }))).toEqual([200, 200]);
    expect(await statuses(await signToken({ role: 'concierge', sub: assigned, location: 'Dubai' }))).toEqual([
      200, 200,
    ]);
    expect(await statuses(await signToken({ role: 'concierge', location: 'Monaco' }))).toEqual([200, 200]);
    expect(await statuses(admin)).toEqual([200, 200]);
  });

  it('answers 404 to a concierge of another location and to one without location or assignment', async () => {
    expect(await statuses(await signToken({ role: 'concierge', location: 'Dubai' }))).toEqual([404, 404]);
    expect(await statuses(await signToken({ role: 'concierge' }))).toEqual([404, 404]);
  });

  it('follows a reassignment: the former concierge loses the record, the new one gains it', async () => {
    const other = bookingSummary({
      location: 'Aspen',
      conciergeId: 'first-concierge',
      status: 'concierge_assigned',
    });
    await h.publish('booking.status_changed', {
      ...other,
      from: 'confirmed',
      to: 'concierge_assigned',
      actor: 'x',
    });
    const first = await signToken({ role: 'concierge', sub: 'first-concierge' });
    await eventually(async () => {
      const res = await fetch(`${base}?bookingId=${other.bookingId}`, { headers: bearer(first) });
      return res.status === 200;
    });
    await h.publish('booking.reminder_due', {
      ...other,
      conciergeId: 'second-concierge',
      offset: '1h',
      dueAt: '2037-07-01T07:00:00.000Z',
    });
    const second = await signToken({ role: 'concierge', sub: 'second-concierge' });
    await eventually(async () => {
      const res = await fetch(`${base}?bookingId=${other.bookingId}`, { headers: bearer(second) });
      return res.status === 200;
    });
    expect((await fetch(`${base}?bookingId=${other.bookingId}`, { headers: bearer(first) })).status).toBe(
      404,
    );
  });

  it('follows booking.reassigned: the new concierge reads the record, the previous one gets 404', async () => {
    const moved = bookingSummary({
      location: 'Gstaad',
      conciergeId: 'before-concierge',
      status: 'confirmed',
    });
    await h.publish('booking.status_changed', {
      ...moved,
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'system',
    });
    const before = await signToken({ role: 'concierge', sub: 'before-concierge' });
    const after = await signToken({ role: 'concierge', sub: 'after-concierge' });
    const id = await eventually(async () => {
      const res = await fetch(`${base}?bookingId=${moved.bookingId}`, { headers: bearer(before) });
      const body = (await res.json()) as { items?: { id: string }[] };
      return body.items?.[0]?.id;
    });
    const readBy = async (token: string) => [
      (await fetch(`${base}?bookingId=${moved.bookingId}`, { headers: bearer(token) })).status,
      (await fetch(`${base}/${id}`, { headers: bearer(token) })).status,
    ];
    expect(await readBy(after)).toEqual([404, 404]);

    await h.publish('booking.reassigned', {
      ...moved,
      status: 'concierge_assigned',
      conciergeId: 'after-concierge',
      previousConciergeId: 'before-concierge',
      actor: 'admin:root',
      reason: 'assigned_by_admin',
    });
    await eventually(async () => (await readBy(after)).every((s) => s === 200));
    expect(await readBy(before)).toEqual([404, 404]);
    // The location's concierges keep reading it; another location's still do not.
    expect(await readBy(await signToken({ role: 'concierge', location: 'Gstaad' }))).toEqual([200, 200]);
    expect(await readBy(await signToken({ role: 'concierge', location: 'Monaco' }))).toEqual([404, 404]);
  });
});
