/** A real SMTP server in the test process (smtp-server), keeping every message it accepts, parsed. */
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  received: ParsedMail[];
  /** Envelope recipients of each accepted message, in order. */
  recipients: string[][];
  /** From now on, answer every RCPT with this SMTP error code (undefined: accept again). */
  rejectRecipients: (code: number | undefined) => void;
  close: () => Promise<void>;
}

export interface SinkOptions {
  /** Answer every RCPT with this SMTP error (e.g. 550 for "no such user"). */
  rejectRecipientsWith?: number;
  /** Listen on this port (e.g. to bring a relay back where it was); a free one by default. */
  port?: number;
}

let queueId = 0;

export async function startSmtpSink(opts: SinkOptions = {}): Promise<SmtpSink> {
  let rejectWith = opts.rejectRecipientsWith;
  // Set when the server starts closing: a message whose data ends after that is refused, not
  // kept, since its sender is told 421 and will send it again (as a real relay would not have
  // queued what it never acknowledged).
  let closing = false;
  const received: ParsedMail[] = [];
  const recipients: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Closing drops pooled client connections at once, as a relay that goes down would.
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      if (rejectWith) {
        const err = Object.assign(new Error(`${address.address}: mailbox unavailable`), {
          responseCode: rejectWith,
        });
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (closing) {
            callback(Object.assign(new Error('Server shutting down'), { responseCode: 421 }));
            return;
          }
          received.push(mail);
          recipients.push(session.envelope.rcptTo.map((r) => r.address));
          queueId += 1;
          callback(null, `Ok: queued as SINK${queueId}`);
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    recipients,
    rejectRecipients: (code) => {
      rejectWith = code;
    },
    close: () => {
      closing = true;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening: connections to it are refused at once. */
export async function deadSmtpUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}
