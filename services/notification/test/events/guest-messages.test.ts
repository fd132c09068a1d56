import { bearer, eventually, signToken } from '@midas/testing';
import { DeliveryQueue } from '../../src/jobs/delivery-queue';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

describe('guest messages from booking events, over SMTP', () => {
  let smtp: SmtpSink;
  let h: Harness;
  let base: string;
  let admin: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness(
      { SMTP_URL: smtp.url, MAIL_FROM: 'Midas Concierge <concierge@midas.test>' },
      { repairEveryMs: 300, staleAfterMs: 60_000 },
    );
    base = `http://127.0.0.1:${h.service.port}`;
    admin = await signToken({ role: 'admin' });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const mailTo = (address: string) =>
    smtp.received.filter((m) => smtp.recipients[smtp.received.indexOf(m)]?.includes(address));
  const sentRecord = async (bookingId: string, count = 1) => {
    const sent = (await record(bookingId)).filter((r) => r.status === 'sent');
    return sent.length >= count && sent;
  };
  const record = async (bookingId: string) => {
    const res = await fetch(`${base}/v1/notifications?bookingId=${bookingId}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Record<string, unknown>[] }).items;
  };

  it('emails the confirmation with the itinerary in local time when a booking is confirmed', async () => {
    const booking = bookingSummary();
    const event = await h.publish('booking.status_changed', {
      ...booking,
      from: 'pending_payment',
      to: 'confirmed',
      actor: 'system',
    });
    const [mail] = await eventually(
      async () => mailTo(booking.guest!.email).length > 0 && mailTo(booking.guest!.email),
    );
    expect(mail?.subject).toBe(`Confirmed: ${booking.itemName} on 1 Jul 2037`);
    expect(mail?.from?.text).toContain('concierge@midas.test');
    expect(mail?.text).toContain('Embarkation:    Wednesday 1 July 2037, 10:00 CEST');
    expect(mail?.text).toContain('€4,800.00');
    expect(mail?.html).toContain('Wednesday 1 July 2037, 18:00 CEST');

    const [row] = await eventually(async () => {
      const items = await record(booking.bookingId);
      return items[0]?.status === 'sent' && items;
    });
    expect(row).toMatchObject({
      bookingId: booking.bookingId,
      eventId: event.id,
      eventType: 'booking.status_changed',
      template: 'booking_confirmed',
      channel: 'email',
      to: booking.guest!.email,
      status: 'sent',
      transport: `127.0.0.1:${smtp.port}`,
      attempts: 1,
      error: null,
    });
    expect(row?.providerMessageId).toMatch(/^SINK\d+$/);
    expect(mail?.messageId).toBe(`<${String(row?.id)}@notification.midas>`);

    const sent = await eventually(async () => h.observed.find((e) => e.data.bookingId === booking.bookingId));
    expect(sent).toMatchObject({
      type: 'notification.sent',
      source: 'notification',
      data: {
        notificationId: row?.id,
        channel: 'email',
        template: 'booking_confirmed',
        to: booking.guest!.email,
        status: 'sent',
        providerMessageId: row?.providerMessageId,
        attempts: 1,
        eventId: event.id,
      },
    });
  });

  it('sends the 1h reminder for a booking.reminder_due with offset 1h', async () => {
    const booking = bookingSummary();
    await h.publish('booking.reminder_due', { ...booking, offset: '1h', dueAt: '2037-07-01T07:00:00.000Z' });
    const [mail] = await eventually(
      async () => mailTo(booking.guest!.email).length > 0 && mailTo(booking.guest!.email),
    );
    expect(mail?.subject).toBe(`In 1 hour: ${booking.itemName}, Monaco`);
    expect(mail?.text).toContain(`${booking.itemName} awaits you in Monaco in 1 hour.`);
    const [row] = await eventually(() => sentRecord(booking.bookingId));
    expect(row?.template).toBe('booking_reminder');
  });

  it('sends exactly one email when the same event is delivered twice', async () => {
    const booking = bookingSummary();
    const event = await h.publish('booking.status_changed', {
      ...booking,
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
      actor: 'customer',
      refundAmount: 240_000,
    });
    await h.republish(event);
    await h.republish(event);
    await eventually(async () => mailTo(booking.guest!.email).length > 0);
    // A later event on the same queue has been handled once it is mailed; give stragglers time too.
    const sentinel = bookingSummary();
    await h.publish('booking.modified', {
      ...sentinel,
      previous: { start: sentinel.start, end: sentinel.end, total: 1 },
      actor: 'customer',
    });
    await eventually(async () => mailTo(sentinel.guest!.email).length > 0);
    await new Promise((r) => setTimeout(r, 500));

    const mails = mailTo(booking.guest!.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Refund: €2,400.00 of the €4,800.00 paid');
    expect(await record(booking.bookingId)).toHaveLength(1);
    expect(h.observed.filter((e) => e.data.bookingId === booking.bookingId)).toHaveLength(1);
  });

  it('does not send again when a delivery job for a sent message runs a second time', async () => {
    const booking = bookingSummary();
    await h.publish('payment.failed', {
      ...booking,
      status: 'pending_payment',
      provider: 'stripe',
      reason: 'Your card was declined.',
    });
    const [row] = await eventually(() => sentRecord(booking.bookingId));
    const again = new DeliveryQueue(h.service.ctx.jobs, { attempts: 1, backoffMs: 100 });
    expect(await again.requeue(String(row?.id))).toBe(true);
    const job = await eventually(async () => {
      const j = await again.queue.getJob(`deliver.${String(row?.id)}`);
      return j && (await j.isCompleted()) && j;
    });
    expect(job.returnvalue).toBe('already_finished');
    expect(mailTo(booking.guest!.email)).toHaveLength(1);
    expect((await record(booking.bookingId))[0]?.attempts).toBe(1);
  });

  it('queues a message recorded but never queued when its event is delivered again', async () => {
    const booking = bookingSummary();
    const event = await h.publish('payment.failed', {
      ...booking,
      status: 'pending_payment',
      provider: 'stripe',
      reason: 'Your card was declined.',
    });
    const [row] = await eventually(() => sentRecord(booking.bookingId));
    // As if the process died between the event's commit and queueing its delivery job.
    const queue = new DeliveryQueue(h.service.ctx.jobs, { attempts: 1, backoffMs: 100 });
    await (await queue.queue.getJob(`deliver.${String(row?.id)}`))?.remove();
    await h.pool.query(`UPDATE notification.communications SET status = 'pending' WHERE id = $1`, [
      String(row?.id),
    ]);
    // The event's redelivery is a duplicate for the inbox; its message, still pending, goes out.
    await h.republish(event);
    await eventually(async () => mailTo(booking.guest!.email).length === 2);
    await eventually(() => sentRecord(booking.bookingId));
    const guest = (await record(booking.bookingId)).filter((r) => r.template === 'payment_failed');
    expect(guest).toMatchObject([{ id: row?.id, status: 'sent', attempts: 2 }]);
  });

  it('sends the late-payment refund with the amount, and nothing for other refunds', async () => {
    const late = bookingSummary({ status: 'refunded' });
    const other = bookingSummary({ status: 'refunded' });
    await h.publish('refund.issued', { ...other, amount: 100_000, reason: 'cancellation' });
    await h.publish('refund.issued', { ...late, amount: 480_000, reason: 'late_payment_slot_taken' });
    const [mail] = await eventually(
      async () => mailTo(late.guest!.email).length > 0 && mailTo(late.guest!.email),
    );
    expect(mail?.subject).toBe(`Refunded in full: ${late.itemName} was no longer available`);
    expect(mail?.text).toContain('Refund: €4,800.00, in full');
    expect(mailTo(other.guest!.email)).toHaveLength(0);
    expect(await record(other.bookingId)).toEqual([]);
  });

  it('records a message it could not address as failed, and publishes that, instead of dropping it', async () => {
    const booking = bookingSummary({ guest: undefined, customerId: 'cust-1', status: 'no_show' });
    const event = await h.publish('booking.status_changed', {
      ...booking,
      from: 'ready',
      to: 'no_show',
      actor: 'system',
    });
    const [row] = await eventually(async () => record(booking.bookingId).then((r) => r.length > 0 && r));
    expect(row).toMatchObject({
      template: 'booking_no_show',
      status: 'failed',
      to: '',
      attempts: 0,
      error: 'the booking has no email address to write to',
    });
    const failed = await eventually(async () => h.observed.find((e) => e.data.eventId === event.id));
    expect(failed).toMatchObject({
      type: 'notification.failed',
      data: { status: 'failed', template: 'booking_no_show' },
    });
  });

  it('delivers a message whose delivery job was lost, through the periodic repair', async () => {
    const booking = bookingSummary();
    // As if Redis lost the job: a pending record from a while ago, with no job for it.
    await h.pool.query(
      `INSERT INTO notification.communications
         (id, event_id, event_type, booking_id, template, channel, recipient, subject, html, body_text, created_at)
       VALUES (gen_random_uuid(), gen_random_uuid(), 'booking.modified', $1, 'booking_modified', 'email', $2,
               'Updated: your booking', '<p>Updated</p>', 'Updated', now() - interval '1 hour')`,
      [booking.bookingId, booking.guest!.email],
    );
    const [row] = await eventually(() => sentRecord(booking.bookingId));
    expect(row).toMatchObject({ template: 'booking_modified', attempts: 1 });
    expect(mailTo(booking.guest!.email).map((m) => m.subject)).toEqual(['Updated: your booking']);
  });

  it("lists a booking's record in pages for staff only", async () => {
    const booking = bookingSummary();
    for (const offset of ['24h', '4h', '1h']) {
      await h.publish('booking.reminder_due', { ...booking, offset, dueAt: '2037-07-01T07:00:00.000Z' });
    }
    await eventually(() => sentRecord(booking.bookingId, 3));
    const concierge = await signToken({ role: 'concierge', location: 'Monaco' });
    const first = await fetch(`${base}/v1/notifications?bookingId=${booking.bookingId}&limit=2`, {
      headers: bearer(concierge),
    });
    const page1 = (await first.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await fetch(
      `${base}/v1/notifications?bookingId=${booking.bookingId}&limit=2&cursor=${page1.nextCursor}`,
      { headers: bearer(concierge) },
    );
    const page2 = (await second.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(3);

    expect((await fetch(`${base}/v1/notifications?bookingId=${booking.bookingId}`)).status).toBe(401);
    const customer = await signToken({ role: 'customer' });
    expect(
      (await fetch(`${base}/v1/notifications?bookingId=${booking.bookingId}`, { headers: bearer(customer) }))
        .status,
    ).toBe(403);
    const bad = await fetch(`${base}/v1/notifications?bookingId=nope&limit=500&cursor=zz`, {
      headers: bearer(admin),
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['bookingId', 'limit']);
  });

  it('previews any template for admins with sample data and their overrides', async () => {
    const res = await fetch(`${base}/v1/notifications/preview/booking_reminder`, {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({
        offset: '4h',
        itemName: 'Gulfstream G650',
        timezone: 'Asia/Dubai',
        start: '2026-12-01T10:00:00Z',
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { subject: string; html: string; text: string; template: string };
    expect(body.template).toBe('booking_reminder');
    expect(body.subject).toBe('In 4 hours: Gulfstream G650, Monaco');
    expect(body.text).toContain('Tuesday 1 December 2026, 14:00 GST');
    expect(body.html).toMatch(/^<!DOCTYPE html>/);

    const post = (path: string, payload: unknown, token = admin) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    expect((await post('/v1/notifications/preview/no_such_template', {})).status).toBe(400);
    const unknownField = await post('/v1/notifications/preview/booking_confirmed', { colour: 'gold' });
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('colour');
    expect(
      (await post('/v1/notifications/preview/booking_confirmed', { timezone: 'Mars/Olympus' })).status,
    ).toBe(400);
    expect(
      (await post('/v1/notifications/preview/booking_confirmed', {}, await signToken({ role: 'concierge' })))
        .status,
    ).toBe(403);
  });
});
