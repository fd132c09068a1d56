/**
 * calendar.conflict (an outside event in the item's Google calendar over a booking) is kept with
 * the booking and shown to staff in its history: once however often it is delivered, never to
 * the customer, and an unknown booking id in it changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Broker, type Envelope } from '@midas/messaging';
import { brokerScope, connectBroker } from '@midas/testing';
import { addConcierge, at, call, createItem, eventually, startStack, token, type Stack } from '../harness';

let stack: Stack;
let pool: Pool;
let calendar: Broker;

beforeAll(async () => {
  stack = await startStack();
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 1 });
  calendar = await connectBroker(brokerScope(stack.env), 'calendar');
}, 120_000);
afterAll(async () => {
  await calendar?.close();
  await pool?.end();
  await stack?.stop();
});

/** Publishes an event the way the calendar service's relay does. */
async function publish(envelope: Envelope): Promise<void> {
  await calendar.publishConfirmed([calendar.eventMessage(envelope)]);
}

it('flags an outside calendar event over a confirmed booking to staff in its history, once', async () => {
  const item = await createItem(stack);
  await addConcierge(stack, 'conflict-concierge', item.location);
  const alice = await token({ role: 'customer', sub: 'alice-conflict' });
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: alice,
    body: { itemId: item.id, start: at(6), end: at(7) },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: alice })).status).toBe(200);

  const conflict = {
    itemId: item.id,
    calendarId: 'fleet@group.calendar.google.com',
    googleEventId: 'maintenance42',
    start: at(6, '12:00'),
    end: at(6, '16:00'),
    summary: 'Engine service',
    bookingIds: [id, randomUUID()],
  };
  const envelope: Envelope = {
    id: randomUUID(),
    type: 'calendar.conflict',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'calendar',
    data: conflict,
  };
  await publish(envelope);
  await publish(envelope); // redelivered
  // The same change reported again under a new event id is still one entry.
  await publish({ ...envelope, id: randomUUID() });

  const admin = await token({ role: 'admin', sub: 'admin-conflict' });
  const entries = await eventually(async () => {
    const history = await call(stack, 'GET', `/v1/bookings/${id}/history?limit=100`, { token: admin });
    expect(history.status).toBe(200);
    const items = history.body.items as { kind: string }[];
    return items.some((e) => e.kind === 'calendar_conflict') && items;
  }, 20_000);
  // Give the redelivery and the repeat time to be handled before counting.
  await new Promise((r) => setTimeout(r, 1000));
  const rows = await pool.query('SELECT booking_id, summary FROM booking.calendar_conflicts');
  expect(rows.rows).toEqual([{ booking_id: id, summary: 'Engine service' }]);
  expect(entries.filter((e) => e.kind === 'calendar_conflict')).toEqual([
    {
      kind: 'calendar_conflict',
      at: expect.any(String),
      actor: { role: 'system' },
      calendarId: 'fleet@group.calendar.google.com',
      googleEventId: 'maintenance42',
      start: new Date(conflict.start).toISOString(),
      end: new Date(conflict.end).toISOString(),
      summary: 'Engine service',
    },
  ]);

  // The customer's own history does not show what staff wrote in their calendar.
  const own = await call(stack, 'GET', `/v1/bookings/${id}/history?limit=100`, { token: alice });
  expect(own.status).toBe(200);
  expect((own.body.items as { kind: string }[]).map((e) => e.kind)).not.toContain('calendar_conflict');
}, 60_000);

it('ignores a conflict naming only bookings it does not know', async () => {
  const before = await pool.query('SELECT count(*)::int AS n FROM booking.calendar_conflicts');
  const envelope: Envelope = {
    id: randomUUID(),
    type: 'calendar.conflict',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'calendar',
    data: {
      itemId: randomUUID(),
      calendarId: 'other@group.calendar.google.com',
      googleEventId: 'party1',
      start: at(9),
      end: at(10),
      summary: 'Party',
      bookingIds: [randomUUID()],
    },
  };
  await publish(envelope);
  // Handled (recorded in the inbox) without an effect and without a dead letter.
  await eventually(async () => {
    const seen = await pool.query('SELECT 1 FROM booking.inbox WHERE event_id = $1', [envelope.id]);
    return seen.rowCount === 1;
  }, 20_000);
  const after = await pool.query('SELECT count(*)::int AS n FROM booking.calendar_conflicts');
  expect(after.rows[0].n).toBe(before.rows[0].n);
}, 30_000);
