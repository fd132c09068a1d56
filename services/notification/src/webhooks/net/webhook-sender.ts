/**
 * Sends one signed webhook: a POST through an undici agent whose connections go only to checked
 * addresses, with a deadline on the whole exchange. Redirects are never followed (a 3xx is a
 * failure: a redirect could point anywhere); only a 2xx counts as delivered.
 */
import { Agent, request } from 'undici';
import { AddressRefused, checkWebhookUrl, guardedLookup } from './address-guard';

export interface SendOutcome {
  ok: boolean;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
}

const USER_AGENT = 'Midas-Webhooks/1';

export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: { allowPrivate: boolean; timeoutMs: number }) {
    this.agent = new Agent({
      connect: { lookup: guardedLookup(options.allowPrivate) as never, timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4000,
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendOutcome> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      // Checked again at every delivery: the URL's DNS may have changed since it was typed.
      await checkWebhookUrl(url, this.options.allowPrivate);
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      // The answer's body is not needed; reading a little of it frees the connection for reuse.
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const status = res.statusCode;
      if (status >= 200 && status < 300)
        return { ok: true, responseStatus: status, latencyMs: latency(), error: null };
      const error =
        status >= 300 && status < 400
          ? `redirect refused (${status}${res.headers.location ? ` to ${String(res.headers.location)}` : ''})`
          : `receiver answered ${status}`;
      return { ok: false, responseStatus: status, latencyMs: latency(), error };
    } catch (err) {
      return { ok: false, responseStatus: null, latencyMs: latency(), error: describe(err) };
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function describe(err: unknown): string {
  if (err instanceof AddressRefused) return `refused: ${err.message}`;
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  const cause = e.cause instanceof AddressRefused ? `refused: ${e.cause.message}` : undefined;
  return (cause ?? [e.code, e.message].filter(Boolean).join(': ')) || String(err);
}
