/**
 * End to end, booking to the admins' inbox: Stripe's local stand-in fails every refund of a
 * cancelled booking; after REFUND_MAX_ATTEMPTS booking dead-letters it and publishes
 * refund.dead_lettered, and notification emails the admins (ADMIN_EMAILS) over SMTP once, with the
 * amount, the provider's reason and the refund id staff act on; the guest gets no such email.
 */
import { startService, type RunningService } from '@midas/runtime';
import { deleteQueues } from '@midas/testing';
import { at, call, createItem, eventually } from '../../../booking/test/harness';
import type { FakeStripe } from '../../../booking/test/support/fake-stripe';
import {
  outboxData,
  startStripeStack,
  waitForStatus,
  type ProviderStack,
} from '../../../booking/test/support/payment-stack';
import { defineNotificationService } from '../../src/service';
import { notificationQueues } from '../support/harness';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

let smtp: SmtpSink;
let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let notification: RunningService;

beforeAll(async () => {
  smtp = await startSmtpSink();
  ps = await startStripeStack(
    {
      REFUND_MAX_ATTEMPTS: '2',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Midas Concierge <concierge@midas.test>',
      ADMIN_EMAILS: 'ops@midas.test, owner@midas.test',
    },
    { scheduler: { refundSweepEveryMs: 200, refundRetryBaseMs: 150, refundRetryMaxMs: 300 } },
  );
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

it('emails the admins once when a refund is dead-lettered, with its amount, the reason and the refund to act on', async () => {
  const email = `stuck-${Date.now()}@example.com`;
  const item = await createItem(ps.stack);
  const created = await call(ps.stack, 'POST', '/v1/bookings', {
    body: {
      itemId: item.id,
      start: at(30),
      end: at(32),
      guest: { name: 'Rita Refund', email, phone: '+33 6 00 00 00 02' },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const q = `?accessToken=${encodeURIComponent(created.body.accessToken as string)}`;
  const pi = fake.intentFor(id)!;
  fake.pay(pi.id);
  const webhook = `${ps.stack.base}/v1/payments/stripe/webhook`;
  expect((await fake.deliver(webhook, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, id, q, 'confirmed');

  fake.refundMode = 'failed';
  const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${id}/cancel${q}`, {
    body: { reason: 'plans changed' },
  });
  expect(cancelled.status).toBe(200);
  await eventually(
    async () => (await outboxData(ps.pool, 'refund.dead_lettered', id)).length === 1,
    20_000,
    100,
  );
  const [event] = await outboxData(ps.pool, 'refund.dead_lettered', id);

  await eventually(async () => mailTo('ops@midas.test').length > 0, 20_000, 100);
  const [mail] = mailTo('ops@midas.test');
  expect(mailTo('owner@midas.test')).toEqual([mail]);
  const amount = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(
    (event!.amount as number) / 100,
  );
  expect(mail!.subject).toBe(
    `Refund stuck: ${amount} for booking ${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
  );
  expect(mail!.text).toContain('stripe failed 2 attempts, last: expired_or_canceled_card');
  expect(mail!.text).toContain(`/v1/payments/refunds/${event!.paymentId as string}/retry`);
  expect(mail!.text).toContain('Rita Refund');

  await eventually(async () => {
    const { rows } = await ps.pool.query(
      "SELECT status FROM notification.communications WHERE booking_id = $1 AND template = 'staff_refund_dead_lettered'",
      [id],
    );
    return rows.length === 1 && rows[0].status === 'sent';
  });
  // The guest heard about the cancellation, never about the stuck refund.
  expect(mailTo(email).every((m) => !m.subject?.startsWith('Refund stuck'))).toBe(true);
});
