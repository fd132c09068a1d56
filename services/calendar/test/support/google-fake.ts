/**
 * A local stand-in for Google: the OAuth token endpoint of a service-account grant (the assertion's
 * RS256 signature checked against the account's public key) and the subset of Calendar v3 REST the
 * service calls (events insert/patch/delete/list with syncToken/watch, channels.stop,
 * calendars insert/delete), with
 * Google's answers for a taken id (409), an unknown one (404) and a deleted one (410). It can be
 * taken "down" (503) to test retries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';

export interface FakeEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  start?: { dateTime?: string; date?: string; timeZone?: string };
  end?: { dateTime?: string; date?: string; timeZone?: string };
  extendedProperties?: unknown;
  etag: string;
  updated: string;
  /** Change counter value at the last change: what sync tokens compare against. */
  version: number;
  [extra: string]: unknown;
}

export interface FakeChannel {
  id: string;
  calendarId: string;
  token: string;
  address: string;
  resourceId: string;
  expiration: number;
  stopped: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  status: number;
}

export class GoogleFake {
  readonly email = 'midas-sync@midas-test.iam.gserviceaccount.com';
  readonly privateKey: string;
  private readonly publicKey: string;
  private server: Server | undefined;
  private version = 0;
  private readonly tokens = new Set<string>();
  readonly calendars = new Map<string, Map<string, FakeEvent>>();
  readonly channels: FakeChannel[] = [];
  /** Secondary calendars made through calendars.insert, by id. */
  readonly made = new Map<string, { summary: string; timeZone?: string; deleted: boolean }>();
  readonly calls: RecordedCall[] = [];
  tokenRequests = 0;
  /** While true, every Calendar call answers 503. */
  down = false;
  /** Calendar calls to fail with 503 before answering normally again. */
  failNext = 0;
  /** Sync tokens issued before this version are answered 410 Gone. */
  forgetTokensBefore = 0;
  port = 0;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Settings that turn sync on against this server. */
  get env(): Record<string, string> {
    return {
      GOOGLE_SERVICE_ACCOUNT_EMAIL: this.email,
      GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: this.privateKey,
      GOOGLE_CALENDAR_API_BASE: this.base,
    };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, message: String(err) } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  calendar(id: string): Map<string, FakeEvent> {
    let cal = this.calendars.get(id);
    if (!cal) {
      cal = new Map();
      this.calendars.set(id, cal);
    }
    return cal;
  }

  /** Live (not deleted) events of a calendar. */
  live(calendarId: string): FakeEvent[] {
    return [...this.calendar(calendarId).values()].filter((e) => e.status !== 'cancelled');
  }

  /** An event someone adds in Google's own UI (an id Google makes up). */
  addExternal(calendarId: string, fields: Partial<FakeEvent>): FakeEvent {
    return this.store(calendarId, {
      id: `ext${randomBytes(8).toString('hex')}`,
      status: 'confirmed',
      ...fields,
    });
  }

  /**
   * A change someone makes in Google's own UI to an existing event (new etag, `updated` and change
   * number, as Google gives it); `status: 'cancelled'` deletes it.
   */
  edit(calendarId: string, id: string, fields: Partial<FakeEvent>): FakeEvent {
    const existing = this.calendar(calendarId).get(id);
    if (!existing) throw new Error(`no event ${id} in ${calendarId}`);
    return this.store(calendarId, { ...existing, ...fields, id });
  }

  /** Sends a push notification to a channel's address as Google would. */
  async notify(
    channel: FakeChannel,
    state: 'sync' | 'exists',
    messageNumber: number,
    opts: { token?: string; address?: string } = {},
  ) {
    return fetch(opts.address ?? channel.address, {
      method: 'POST',
      headers: {
        'X-Goog-Channel-ID': channel.id,
        'X-Goog-Channel-Token': opts.token ?? channel.token,
        'X-Goog-Resource-State': state,
        'X-Goog-Resource-ID': channel.resourceId,
        'X-Goog-Message-Number': String(messageNumber),
        'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      },
    });
  }

  private store(calendarId: string, fields: Partial<FakeEvent> & { id: string }): FakeEvent {
    this.version += 1;
    const event: FakeEvent = {
      status: 'confirmed',
      ...fields,
      etag: `"${this.version}"`,
      updated: new Date().toISOString(),
      version: this.version,
    } as FakeEvent;
    this.calendar(calendarId).set(event.id, event);
    return event;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const body = await readBody(req);
    const send = (status: number, json?: unknown) => {
      this.calls.push({ method: req.method ?? '', path: url.pathname, status });
      if (json === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(json));
    };
    const fail = (status: number, message: string) =>
      send(status, { error: { code: status, message, errors: [{ message, reason: String(status) }] } });

    if (req.method === 'POST' && url.pathname === '/token') return this.grant(body, send, fail);

    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    if (!auth || !this.tokens.has(auth)) return fail(401, 'Request had invalid authentication credentials.');
    if (this.down) return fail(503, 'The service is currently unavailable.');
    if (this.failNext > 0) {
      this.failNext -= 1;
      return fail(503, 'The service is currently unavailable.');
    }

    if (req.method === 'POST' && url.pathname === '/calendar/v3/channels/stop') {
      const { id } = JSON.parse(body) as { id: string };
      const channel = this.channels.find((c) => c.id === id);
      if (!channel) return fail(404, 'Channel not found');
      channel.stopped = true;
      return send(204);
    }

    if (req.method === 'POST' && url.pathname === '/calendar/v3/calendars') {
      const spec = JSON.parse(body) as { summary?: string; timeZone?: string };
      if (!spec.summary) return fail(400, 'Missing title.');
      const id = `c${randomBytes(10).toString('hex')}@group.calendar.google.com`;
      this.made.set(id, { summary: spec.summary, timeZone: spec.timeZone, deleted: false });
      this.calendar(id);
      return send(200, { kind: 'calendar#calendar', id, summary: spec.summary, timeZone: spec.timeZone });
    }
    const calendarPath = /^\/calendar\/v3\/calendars\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && calendarPath) {
      const made = this.made.get(decodeURIComponent(calendarPath[1]!));
      if (!made || made.deleted) return fail(404, 'Not Found');
      made.deleted = true;
      return send(204);
    }

    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return fail(404, 'Not Found');
    const calendarId = decodeURIComponent(match[1]!);
    const eventId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const cal = this.calendar(calendarId);

    if (req.method === 'POST' && eventId === 'watch') {
      const spec = JSON.parse(body) as {
        id: string;
        token: string;
        address: string;
        params?: { ttl?: string };
      };
      const channel: FakeChannel = {
        id: spec.id,
        calendarId,
        token: spec.token,
        address: spec.address,
        resourceId: `res${randomBytes(6).toString('hex')}`,
        expiration: Date.now() + Number(spec.params?.ttl ?? 604800) * 1000,
        stopped: false,
      };
      this.channels.push(channel);
      return send(200, {
        kind: 'api#channel',
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri: `${this.base}calendar/v3/calendars/${calendarId}/events`,
        expiration: String(channel.expiration),
      });
    }
    if (req.method === 'POST' && !eventId) {
      const event = JSON.parse(body) as Partial<FakeEvent> & { id?: string };
      const id = event.id ?? `gen${randomBytes(8).toString('hex')}`;
      if (!/^[a-v0-9]{5,1024}$/.test(id)) return fail(400, 'Invalid resource id value.');
      if (cal.has(id)) return fail(409, 'The requested identifier already exists.');
      return send(200, this.view(this.store(calendarId, { ...event, id })));
    }
    if (req.method === 'PATCH' && eventId) {
      const existing = cal.get(eventId);
      if (!existing) return fail(404, 'Not Found');
      const patch = JSON.parse(body) as Partial<FakeEvent>;
      return send(200, this.view(this.store(calendarId, { ...existing, ...patch, id: eventId })));
    }
    if (req.method === 'DELETE' && eventId) {
      const existing = cal.get(eventId);
      if (!existing) return fail(404, 'Not Found');
      if (existing.status === 'cancelled') return fail(410, 'Resource has been deleted');
      this.store(calendarId, { ...existing, status: 'cancelled' });
      return send(204);
    }
    if (req.method === 'GET' && !eventId) {
      const syncToken = url.searchParams.get('syncToken');
      let since = 0;
      if (syncToken) {
        since = Number(syncToken.replace(/^st/, ''));
        if (!Number.isFinite(since) || since < this.forgetTokensBefore) {
          return fail(410, 'Sync token is no longer valid, a full sync is required.');
        }
      }
      const showDeleted = syncToken !== null || url.searchParams.get('showDeleted') === 'true';
      const items = [...cal.values()]
        .filter((e) => e.version > since && (showDeleted || e.status !== 'cancelled'))
        .map((e) => this.view(e));
      return send(200, { kind: 'calendar#events', items, nextSyncToken: `st${this.version}` });
    }
    return fail(405, 'Method not allowed');
  }

  private view(e: FakeEvent): Record<string, unknown> {
    const { version: _version, ...rest } = e;
    return { kind: 'calendar#event', ...rest };
  }

  private async grant(
    body: string,
    send: (status: number, json?: unknown) => void,
    fail: (status: number, message: string) => void,
  ): Promise<void> {
    this.tokenRequests += 1;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return fail(400, 'unsupported_grant_type');
    }
    try {
      const key = await importSPKI(this.publicKey, 'RS256');
      const { payload } = await jwtVerify(form.get('assertion') ?? '', key, { algorithms: ['RS256'] });
      if (payload.iss !== this.email)
        return send(400, { error: 'invalid_grant', error_description: 'bad iss' });
      if (!String(payload.scope ?? '').includes('calendar')) {
        return send(400, { error: 'invalid_scope', error_description: 'calendar scope missing' });
      }
    } catch {
      return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }
    const token = `ya29.${randomBytes(16).toString('hex')}`;
    this.tokens.add(token);
    return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
