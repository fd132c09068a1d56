/**
 * The SSRF guard in front of imported feeds, with private addresses not allowed (the default):
 * URLs an admin types are refused with a 400 naming the reason (http, loopback, private, link-local,
 * CGNAT, unique-local, multicast, unspecified, IPv4-mapped IPv6, a name resolving to loopback), and
 * a stored feed whose address turns private is refused again at fetch time and at connect time.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '@midas/testing';
import { guardedLookup } from '@midas/http';
import { FeedFetcher } from '../../src/net/feed-fetcher';
import { FeedServer, ics, airbnbReservation } from '../support/feed-server';
import { call, startHarness, type Harness } from '../support/harness';

describe('the SSRF guard on imported feeds', () => {
  const server = new FeedServer();
  let h: Harness;
  const itemId = randomUUID();

  beforeAll(async () => {
    await server.start();
    h = await startHarness();
    // Calendar knows the item (as from item.created), so only the URL decides.
    await h.pool.query(
      `INSERT INTO calendar.items (id, type, name, timezone) VALUES ($1, 'property', 'Villa', 'Europe/Paris')`,
      [itemId],
    );
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await server.close();
  });

  const add = (url: string) =>
    call(h, `/v1/items/${itemId}/feeds`, { method: 'POST', body: JSON.stringify({ url, name: 'Channel' }) });

  it.each([
    ['http://calendar.example.com/feed.ics', /must be an https URL/],
    ['https://127.0.0.1/feed.ics', /127\.0\.0\.1 is a loopback address/],
    ['https://[::1]/feed.ics', /loopback/],
    ['https://10.1.2.3/feed.ics', /private/],
    ['https://172.16.5.4/feed.ics', /private/],
    ['https://192.168.0.10/feed.ics', /private/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://100.64.0.1/feed.ics', /carrierGradeNat/],
    ['https://[fd12:3456::1]/feed.ics', /uniqueLocal/],
    ['https://[fe80::1]/feed.ics', /linkLocal/],
    ['https://[::ffff:127.0.0.1]/feed.ics', /127\.0\.0\.1 is a loopback address/],
    ['https://[::ffff:a00:1]/feed.ics', /10\.0\.0\.1 is a private address/],
    ['https://0.0.0.0/feed.ics', /unspecified/],
    ['https://224.0.0.1/feed.ics', /multicast/],
    ['https://localhost/feed.ics', /localhost resolves to .* loopback address/],
    ['https://user:secret@calendar.example.com/feed.ics', /credentials/],
  ])('refuses %s with a 400 naming the reason, and stores nothing', async (url, reason) => {
    const res = await add(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors[0]!.field).toBe('url');
    expect(body.errors[0]!.message).toMatch(reason);
    const stored = await h.pool.query('SELECT 1 FROM calendar.ical_feeds WHERE item_id = $1', [itemId]);
    expect(stored.rowCount).toBe(0);
  });

  it('refuses, at fetch time, a stored feed whose address has become private, and counts it as refused', async () => {
    const path = `/turned-private/${randomUUID()}.ics`;
    server.set(path, { body: ics([airbnbReservation('x', '2037-05-01', '2037-05-02')]) });
    const feedId = randomUUID();
    await h.pool.query(
      `INSERT INTO calendar.ical_feeds (id, item_id, name, url) VALUES ($1, $2, 'Turned private', $3)`,
      [feedId, itemId, `https://localhost:${server.port}${path}`],
    );
    expect((await call(h, `/v1/items/${itemId}/feeds/${feedId}/fetch`, { method: 'POST' })).status).toBe(202);
    const row = await eventually(async () => {
      const r = await h.pool.query(
        'SELECT last_error, failing_since FROM calendar.ical_feeds WHERE id = $1',
        [feedId],
      );
      return r.rows[0]?.last_error && (r.rows[0] as { last_error: string; failing_since: Date | null });
    });
    expect(row.last_error).toMatch(/^refused: localhost resolves to .* loopback address/);
    expect(row.failing_since).not.toBeNull();
    expect(server.requestsTo(path)).toHaveLength(0);
    await eventually(async () =>
      /midas_calendar_feed_fetches_total{[^}]*outcome="refused"[^}]*} [1-9]/.test(
        await (await fetch(`${h.base}/metrics`)).text(),
      ),
    );
  });

  it('refuses private addresses inside the connection itself, so a DNS answer changed after the check cannot slip through', async () => {
    const refused = await new Promise<Error | null>((resolve) =>
      guardedLookup(false)('localhost', {}, (err) => resolve(err)),
    );
    expect(refused?.name).toBe('AddressRefused');
    const allowed = await new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(true)('localhost', {}, (err, address) => resolve({ err, address })),
    );
    expect(allowed.err).toBeNull();

    // A fetcher without the allowance refuses plain http and loopback before any byte is sent.
    const fetcher = new FeedFetcher({
      allowPrivate: false,
      timeoutMs: 2000,
      maxBytes: 1024,
      maxRedirects: 5,
    });
    try {
      await expect(
        fetcher.fetch(server.url('/never'), { etag: null, lastModified: null }),
      ).rejects.toMatchObject({
        outcome: 'refused',
        message: 'refused: must be an https URL',
      });
      await expect(
        fetcher.fetch(`https://localhost:${server.port}/never`, { etag: null, lastModified: null }),
      ).rejects.toMatchObject({ outcome: 'refused' });
      expect(server.requestsTo('/never')).toHaveLength(0);
    } finally {
      await fetcher.close();
    }
  });

  it('with the allowance, follows a redirect only as far as the hop limit and re-checks every hop', async () => {
    const fetcher = new FeedFetcher({
      allowPrivate: true,
      timeoutMs: 2000,
      maxBytes: 1024 * 1024,
      maxRedirects: 1,
    });
    try {
      server.set('/a', { redirect: 'ftp://files.example.com/feed.ics' });
      await expect(fetcher.fetch(server.url('/a'), { etag: null, lastModified: null })).rejects.toMatchObject(
        {
          outcome: 'refused',
          message: 'refused: must be an https URL',
        },
      );
      server.set('/c', { redirect: server.url('/d') });
      server.set('/d', { redirect: server.url('/e') });
      await expect(fetcher.fetch(server.url('/c'), { etag: null, lastModified: null })).rejects.toMatchObject(
        {
          outcome: 'failed',
          message: 'more than 1 redirects',
        },
      );
      expect(server.requestsTo('/e')).toHaveLength(0);
    } finally {
      await fetcher.close();
    }
  });
});
