/** Admins are emailed at a real SMTP server when a payment fails, beside the guest's own message. */
import { eventually } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

describe('business alerts to admins, over SMTP', () => {
  let smtp: SmtpSink;
  let h: Harness;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, ADMIN_EMAILS: 'ops@midas.test,finance@midas.test' });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const sentTo = (address: string, prefix: string) =>
    smtp.received.filter((m, n) => m.subject?.startsWith(prefix) && smtp.recipients[n]?.includes(address));

  it('emails every admin once when a payment fails, and the guest their own message', async () => {
    const booking = bookingSummary();
    const event = await h.publish('payment.failed', {
      ...booking,
      provider: 'stripe',
      reason: 'card_declined',
    });
    const alert = await eventually(async () => sentTo('ops@midas.test', 'Payment failed')[0], 20_000);
    expect(smtp.recipients[smtp.received.indexOf(alert)]?.sort()).toEqual([
      'finance@midas.test',
      'ops@midas.test',
    ]);
    expect(alert.subject).toContain(booking.itemName);
    expect(alert.text).toContain('did not go through at stripe. The provider said: card_declined.');
    expect(alert.text).toContain(booking.guest!.email);
    await eventually(async () => sentTo(booking.guest!.email, 'Action needed')[0], 20_000);

    // A redelivery of the same event sends neither again.
    await h.republish(event);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sentTo('ops@midas.test', 'Payment failed')).toHaveLength(1);
    expect(sentTo(booking.guest!.email, 'Action needed')).toHaveLength(1);
  });
});
