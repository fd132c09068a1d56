/**
 * Fetches an imported iCalendar feed: a conditional GET (If-None-Match, If-Modified-Since) through
 * an undici agent whose connections go only to checked addresses, redirects followed by hand (each
 * hop's URL checked again, at most `maxRedirects`), one deadline over the whole exchange, and the
 * body read up to `maxBytes` and no further.
 */
import { checkOutboundUrl, guardedAgent, refusalOf } from '@midas/http';
import { request, type Agent } from 'undici';

export type FetchOutcome = 'fetched' | 'not_modified' | 'failed' | 'refused';

export type FetchResult =
  | { kind: 'not_modified' }
  | { kind: 'fetched'; body: string; etag: string | null; lastModified: string | null; bytes: number };

/** A fetch that did not produce a feed; `refused` when the SSRF guard stopped it. */
export class FeedFetchFailed extends Error {
  constructor(
    readonly outcome: 'failed' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'FeedFetchFailed';
  }
}

export interface FetcherOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

const USER_AGENT = 'Midas-Calendar-Import/1';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class FeedFetcher {
  private readonly agent: Agent;

  constructor(readonly options: FetcherOptions) {
    this.agent = guardedAgent(options);
  }

  /** Checks a URL an admin typed; throws AddressRefused naming the reason. */
  check(url: string): Promise<URL> {
    return checkOutboundUrl(url, this.options.allowPrivate);
  }

  async fetch(
    url: string,
    known: { etag: string | null; lastModified: string | null },
  ): Promise<FetchResult> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = {
      accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1',
      'user-agent': USER_AGENT,
    };
    if (known.etag) headers['if-none-match'] = known.etag;
    if (known.lastModified) headers['if-modified-since'] = known.lastModified;
    let current = url;
    try {
      for (let hop = 0; ; hop++) {
        const target = await checkOutboundUrl(current, this.options.allowPrivate);
        const res = await request(target, { method: 'GET', dispatcher: this.agent, headers, signal });
        const status = res.statusCode;
        if (REDIRECTS.has(status)) {
          await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
          const location = header(res.headers.location);
          if (!location) throw new FeedFetchFailed('failed', `redirect ${status} without a Location`);
          if (hop >= this.options.maxRedirects) {
            throw new FeedFetchFailed('failed', `more than ${this.options.maxRedirects} redirects`);
          }
          current = new URL(location, target).toString();
          continue;
        }
        if (status === 304) {
          await res.body.dump().catch(() => undefined);
          return { kind: 'not_modified' };
        }
        if (status < 200 || status >= 300) {
          await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
          throw new FeedFetchFailed('failed', `feed answered ${status}`);
        }
        const declared = Number(header(res.headers['content-length']) ?? NaN);
        if (Number.isFinite(declared) && declared > this.options.maxBytes) {
          res.body.destroy();
          throw new FeedFetchFailed(
            'failed',
            `feed is ${declared} bytes, over the ${this.options.maxBytes} byte limit`,
          );
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        for await (const chunk of res.body) {
          bytes += (chunk as Buffer).length;
          if (bytes > this.options.maxBytes) {
            res.body.destroy();
            throw new FeedFetchFailed('failed', `feed is over the ${this.options.maxBytes} byte limit`);
          }
          chunks.push(chunk as Buffer);
        }
        return {
          kind: 'fetched',
          body: new TextDecoder('utf-8').decode(Buffer.concat(chunks, bytes)),
          etag: header(res.headers.etag) ?? null,
          lastModified: header(res.headers['last-modified']) ?? null,
          bytes,
        };
      }
    } catch (err) {
      throw asFailure(err);
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function asFailure(err: unknown): FeedFetchFailed {
  if (err instanceof FeedFetchFailed) return err;
  const refusal = refusalOf(err);
  if (refusal !== null) return new FeedFetchFailed('refused', `refused: ${refusal}`);
  const e = err as { name?: string; code?: string; message?: string };
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e.code === 'UND_ERR_BODY_TIMEOUT' ||
    e.code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new FeedFetchFailed('failed', 'timed out');
  }
  const text = [e.code, e.message].filter(Boolean).join(': ') || String(err);
  return new FeedFetchFailed('failed', text.slice(0, 300));
}
