/**
 * Delivery over an ordered list of transports: the first that accepts the message wins; each
 * failure is kept, so the communications record shows what was tried. An attempt is worth
 * retrying later unless every transport refused the message itself (a 5xx for the recipient or
 * the content), which waiting will not change.
 */

export interface SmtpFailureLike {
  code?: string;
  responseCode?: number;
  message?: string;
}

export type FailureKind = 'transient' | 'permanent';

/** Codes nodemailer gives when the server answered about the envelope or the message itself. */
const MESSAGE_LEVEL_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

export function classifySmtpFailure(err: SmtpFailureLike): FailureKind {
  const status = err.responseCode ?? 0;
  return status >= 500 && status < 600 && MESSAGE_LEVEL_CODES.has(err.code ?? '') ? 'permanent' : 'transient';
}

export interface Accepted {
  /** What the server answered, e.g. `250 2.0.0 Ok: queued as 4F3A2`. */
  response: string;
  messageId: string;
}

export interface Transport<M> {
  label: string;
  send: (message: M) => Promise<Accepted>;
}

export interface TransportFailure {
  transport: string;
  kind: FailureKind;
  error: string;
}

export type FailoverResult =
  | { ok: true; transport: string; providerMessageId: string; failures: TransportFailure[] }
  | { ok: false; permanent: boolean; failures: TransportFailure[] };

/** The id the server gave the message (`queued as X`, `id=X`), else the Message-ID we set. */
export function providerMessageId(accepted: Accepted): string {
  const match =
    /queued as\s+<?([\w.@-]+)>?/i.exec(accepted.response) ??
    /\bid[=:]\s*<?([\w.@-]+)>?/i.exec(accepted.response);
  return match?.[1] ?? accepted.messageId;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export async function sendWithFailover<M>(transports: Transport<M>[], message: M): Promise<FailoverResult> {
  const failures: TransportFailure[] = [];
  for (const transport of transports) {
    try {
      const accepted = await transport.send(message);
      return {
        ok: true,
        transport: transport.label,
        providerMessageId: providerMessageId(accepted),
        failures,
      };
    } catch (err) {
      failures.push({
        transport: transport.label,
        kind: classifySmtpFailure((err ?? {}) as SmtpFailureLike),
        error: describeError(err).slice(0, 1000),
      });
    }
  }
  const permanent = failures.length > 0 && failures.every((f) => f.kind === 'permanent');
  return { ok: false, permanent, failures };
}
