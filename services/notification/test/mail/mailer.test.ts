import { parseSmtpUrls } from '../../src/domain/smtp-endpoints';
import { Mailer, type OutgoingMail } from '../../src/mail/mailer';
import { deadSmtpUrl, startSmtpSink, type SmtpSink } from '../support/smtp-sink';

const mail = (n: number): OutgoingMail => ({
  to: 'guest@example.com',
  subject: `Confirmed ${n}`,
  html: `<p>Hello ${n}</p>`,
  text: `Hello ${n}`,
  messageId: `<message-${n}@notification.midas>`,
});

describe('Mailer over SMTP with failover', () => {
  let primary: SmtpSink;
  let secondary: SmtpSink;
  const mailers: Mailer[] = [];
  const mailer = (url: string) => {
    const m = new Mailer(parseSmtpUrls(url), {
      from: 'Midas <concierge@midas.test>',
      connectTimeoutMs: 2000,
    });
    mailers.push(m);
    return m;
  };

  beforeEach(async () => {
    primary = await startSmtpSink();
    secondary = await startSmtpSink();
  });
  afterEach(async () => {
    for (const m of mailers.splice(0)) m.close();
    await Promise.all([primary.close(), secondary.close()]);
  });

  it('delivers through the primary while it is up, with the Message-ID and both parts', async () => {
    const result = await mailer(`${primary.url},${secondary.url}`).send(mail(1));
    expect(result).toMatchObject({ ok: true, transport: `127.0.0.1:${primary.port}`, failures: [] });
    expect(result.ok && result.providerMessageId).toMatch(/^SINK\d+$/);
    expect(primary.received).toHaveLength(1);
    expect(secondary.received).toHaveLength(0);
    const [got] = primary.received;
    expect(got?.messageId).toBe('<message-1@notification.midas>');
    expect(got?.subject).toBe('Confirmed 1');
    expect(got?.text?.trim()).toBe('Hello 1');
    expect(got?.html).toContain('<p>Hello 1</p>');
    expect(got?.from?.text).toContain('concierge@midas.test');
  });

  it('hands the message to the secondary when the primary is down', async () => {
    const dead = await deadSmtpUrl();
    const result = await mailer(`${dead},${secondary.url}`).send(mail(2));
    expect(result.ok && result.transport).toBe(`127.0.0.1:${secondary.port}`);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ transport: new URL(dead).host, kind: 'transient' });
    expect(secondary.received.map((m) => m.subject)).toEqual(['Confirmed 2']);
  });

  it('fails over when the primary goes down after it was used', async () => {
    const m = mailer(`${primary.url},${secondary.url}`);
    expect((await m.send(mail(3))).ok).toBe(true);
    await primary.close();
    const result = await m.send(mail(4));
    expect(result.ok && result.transport).toBe(`127.0.0.1:${secondary.port}`);
    expect(primary.received.map((r) => r.subject)).toEqual(['Confirmed 3']);
    expect(secondary.received.map((r) => r.subject)).toEqual(['Confirmed 4']);
  });

  it('sends the next messages straight to the secondary while the failed primary cools down, then leads with the primary again', async () => {
    const port = primary.port;
    await primary.close();
    const m = new Mailer(parseSmtpUrls(`smtp://127.0.0.1:${port},${secondary.url}`), {
      from: 'Midas <concierge@midas.test>',
      coolDownMs: 300,
    });
    mailers.push(m);
    expect((await m.send(mail(7))).failures).toHaveLength(1);
    const next = await m.send(mail(8));
    expect(next.failures).toEqual([]);
    expect(next.ok && next.transport).toBe(`127.0.0.1:${secondary.port}`);

    primary = await startSmtpSink({ port });
    await new Promise((r) => setTimeout(r, 350));
    const back = await m.send(mail(9));
    expect(back.ok && back.transport).toBe(`127.0.0.1:${port}`);
    expect(primary.received.map((r) => r.subject)).toEqual(['Confirmed 9']);
  });

  it('reports a transient failure naming both transports when both are down', async () => {
    const result = await mailer(`${await deadSmtpUrl()},${await deadSmtpUrl()}`).send(mail(5));
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.failures).toHaveLength(2);
  });

  it('calls a recipient refused by every relay a permanent failure', async () => {
    const refusing = await startSmtpSink({ rejectRecipientsWith: 550 });
    try {
      const result = await mailer(refusing.url).send(mail(6));
      expect(result).toMatchObject({ ok: false, permanent: true });
      expect(result.failures[0]?.error).toContain('mailbox unavailable');
    } finally {
      await refusing.close();
    }
  });
});
