/**
 * End to end, booking to inbox: a guest's payment succeeds after the hold lapsed and another guest
 * took the slot; booking cancels and refunds it in full (late_payment_slot_taken) and the guest
 * receives exactly one email over SMTP, the late-payment refund with its amount, not the
 * cancellation too. Availability, pricing, booking (Stripe's local stand-in, 10 s holds), the
 * gateway and notification all run on one database and namespace.
 */
import { startService, type RunningService } from '@midas/runtime';
import { deleteQueues } from '@midas/testing';
import { at, call, createItem, eventually, token } from '../../../booking/test/harness';
import type { FakeStripe } from '../../../booking/test/support/fake-stripe';
import {
  outboxData,
  startStripeStack,
  waitForStatus,
  type ProviderStack,
} from '../../../booking/test/support/payment-stack';
import { STAFF_MESSAGE_STATUSES } from '../../src/domain/staff-plan';
import { GUEST_MESSAGE_STATUSES } from '../../src/domain/template-choice';
import { defineNotificationService } from '../../src/service';
import { notificationQueues } from '../support/harness';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

let smtp: SmtpSink;
let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let notification: RunningService;

beforeAll(async () => {
  smtp = await startSmtpSink();
  ps = await startStripeStack({
    HOLD_TTL_SECONDS: '10',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Midas Concierge <concierge@midas.test>',
  });
  fake = ps.fake;
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 }, smtpConnectTimeoutMs: 2000 }),
    ps.stack.env.cfg,
    { port: 0 },
  );
}, 120_000);
afterAll(async () => {
  await notification?.stop();
  if (ps) await deleteQueues(ps.stack.env.cfg.AMQP_URL, notificationQueues(ps.stack.env.namespace));
  await ps?.stop();
  await smtp?.close();
});

const mailTo = (address: string) => smtp.received.filter((_, i) => smtp.recipients[i]?.includes(address));

/** The status changes notification's messages consumer binds (the others never reach it). */
const BOUND_STATUSES = [...GUEST_MESSAGE_STATUSES, ...STAFF_MESSAGE_STATUSES];

/** Every booking event about this booking that notification consumes has been through its inbox. */
async function notificationCaughtUp(bookingId: string): Promise<boolean> {
  const { rows } = await ps.pool.query(
    `SELECT count(*) FILTER (WHERE i.event_id IS NULL)::int AS missing, count(*)::int AS published
       FROM booking.outbox o
       LEFT JOIN notification.inbox i ON i.event_id = o.id
      WHERE o.data->>'bookingId' = $1
        AND o.type IN ('booking.status_changed', 'booking.modified', 'payment.failed', 'refund.issued')
        AND (o.type <> 'booking.status_changed' OR o.data->>'to' = ANY($2::text[]))`,
    [bookingId, BOUND_STATUSES],
  );
  return rows[0].published > 0 && rows[0].missing === 0;
}

describe('a late payment for a slot someone else took', () => {
  it('emails the guest exactly once, the late-payment refund with the amount, and no cancellation', async () => {
    const email = `late-${Date.now()}@example.com`;
    const item = await createItem(ps.stack);
    const slot = { itemId: item.id, start: at(7), end: at(8) };
    const created = await call(ps.stack, 'POST', '/v1/bookings', {
      body: { ...slot, guest: { name: 'Lena Late', email, phone: '+33 6 00 00 00 01' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const q = `?accessToken=${encodeURIComponent(created.body.accessToken as string)}`;
    const pi = fake.intentFor(id)!;

    // The guest's bank transfer is on its way while the hold lapses.
    fake.startProcessing(pi.id);
    await eventually(
      async () => {
        const { rows } = await ps.pool.query(
          "SELECT count(*)::int AS n FROM booking.inbox WHERE type = 'hold.expired'",
        );
        return rows[0].n > 0;
      },
      40_000,
      250,
    );
    const rival = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'late-mail-rival' }),
      body: slot,
    });
    expect(rival.status).toBe(201);

    fake.pay(pi.id);
    const webhook = `${ps.stack.base}/v1/payments/stripe/webhook`;
    expect((await fake.deliver(webhook, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
    await waitForStatus(ps.stack, id, q, 'refunded');
    const [refund] = await outboxData(ps.pool, 'refund.issued', id);
    expect(refund).toMatchObject({ amount: pi.amount, reason: 'late_payment_slot_taken' });

    await eventually(async () => mailTo(email).length > 0, 20_000, 100);
    await eventually(() => notificationCaughtUp(id), 20_000, 100);
    // Deliveries run on their own queue: give a second message every chance to arrive.
    await eventually(async () => {
      const { rows } = await ps.pool.query(
        "SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending FROM notification.communications WHERE booking_id = $1",
        [id],
      );
      return rows[0].pending === 0;
    });

    const mails = mailTo(email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe(`Refunded in full: ${created.body.itemName} was no longer available`);
    const amount = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(
      pi.amount / 100,
    );
    expect(mail!.text).toContain(`Refund: ${amount}, in full`);
    const { rows: record } = await ps.pool.query(
      'SELECT template, status FROM notification.communications WHERE booking_id = $1',
      [id],
    );
    expect(record).toEqual([{ template: 'late_payment_refund', status: 'sent' }]);
  }, 120_000);
});
