/**
 * Sends one signed webhook: a POST through an undici agent whose connections go only to checked
 * addresses, with a deadline on the whole exchange. Redirects are never followed (a 3xx is a
 * failure: a redirect could point anywhere); only a 2xx counts as delivered.
 */
import { checkOutboundUrl, guardedAgent, refusalOf } from '@midas/http';
import { request, type Agent } from 'undici';

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
    this.agent = guardedAgent(options);
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendOutcome> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      // Checked again at every delivery: the URL's DNS may have changed since it was typed.
      await checkOutboundUrl(url, this.options.allowPrivate);
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
  const refusal = refusalOf(err);
  if (refusal !== null) return `refused: ${refusal}`;
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return [e.code, e.message].filter(Boolean).join(': ') || String(err);
}
