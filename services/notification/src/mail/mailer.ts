/**
 * Outgoing mail: the SMTP transports of SMTP_URL in order (primary first), each a pooled
 * nodemailer transport, tried through `sendWithFailover`. Without SMTP_URL there is no mailer
 * and messages go to the log channel instead.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { sendWithFailover, type FailoverResult, type Transport } from '../domain/failover';
import type { SmtpEndpoint } from '../domain/smtp-endpoints';
import { orderTransports } from '../domain/transport-order';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Derived from the communication id, so a receiver can tell a resend from a new message. */
  messageId: string;
}

export interface MailerOptions {
  from: string;
  /** Waiting for a TCP connection and for the greeting; a dead relay costs at most this (default 10 s). */
  connectTimeoutMs?: number;
  /** Inactivity during a conversation (default 30 s). */
  socketTimeoutMs?: number;
  /** How long a relay that failed is tried after the others (default 30 s). */
  coolDownMs?: number;
}

export class Mailer {
  private readonly transporters: { label: string; transporter: Transporter }[];
  private readonly failedAt = new Map<string, number>();

  constructor(
    readonly endpoints: SmtpEndpoint[],
    private readonly opts: MailerOptions,
  ) {
    const connectTimeout = opts.connectTimeoutMs ?? 10_000;
    this.transporters = endpoints.map((endpoint) => ({
      label: endpoint.label,
      transporter: nodemailer.createTransport({
        url: endpoint.url,
        pool: true,
        maxConnections: 4,
        connectionTimeout: connectTimeout,
        greetingTimeout: connectTimeout,
        socketTimeout: opts.socketTimeoutMs ?? 30_000,
      }),
    }));
  }

  private transports(): Transport<OutgoingMail>[] {
    return this.transporters.map(({ label, transporter }) => ({
      label,
      send: async (mail) => {
        const info = (await transporter.sendMail({
          from: this.opts.from,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId: mail.messageId,
        })) as { response?: string; messageId?: string };
        return { response: info.response ?? '', messageId: info.messageId ?? mail.messageId };
      },
    }));
  }

  async send(mail: OutgoingMail): Promise<FailoverResult> {
    const now = Date.now();
    const ordered = orderTransports(this.transports(), now, {
      failedAt: this.failedAt,
      coolDownMs: this.opts.coolDownMs ?? 30_000,
    });
    const result = await sendWithFailover(ordered, mail);
    // Only the relay's own trouble sends it to the back; a refused recipient says nothing about the relay.
    for (const failure of result.failures)
      if (failure.kind === 'transient') this.failedAt.set(failure.transport, now);
    if (result.ok) this.failedAt.delete(result.transport);
    return result;
  }

  close(): void {
    for (const { transporter } of this.transporters) transporter.close();
  }
}
