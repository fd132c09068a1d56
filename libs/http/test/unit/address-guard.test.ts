import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { AddressRefused, checkOutboundUrl, guardedAgent, guardedLookup, refusalOf } from '../../src';

describe('the SSRF guard in front of outbound connections', () => {
  it.each([
    ['not a url', /is not a URL/],
    ['http://example.com/hook', /must be an https URL/],
    ['https://user:secret@example.com/hook', /must not carry credentials/],
    ['https://127.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
    ['https://[::ffff:10.0.0.1]/hook', /10\.0\.0\.1 is a private address/],
    ['https://localhost/hook', /localhost resolves to .* loopback address/],
    ['https://no-such-host.invalid/hook', /no-such-host\.invalid does not resolve/],
  ])('refuses %s with the reason', async (url, reason) => {
    const refused = await checkOutboundUrl(url, false).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AddressRefused);
    expect((refused as AddressRefused).message).toMatch(reason);
  });

  it('takes a public address, and anything http(s) without credentials when private addresses are allowed', async () => {
    await expect(checkOutboundUrl('https://93.184.215.14/feed.ics', false)).resolves.toBeInstanceOf(URL);
    await expect(checkOutboundUrl('http://localhost:1/x', true)).resolves.toBeInstanceOf(URL);
    await expect(checkOutboundUrl('http://u:p@localhost:1/x', true)).rejects.toThrow(/credentials/);
    await expect(checkOutboundUrl('ftp://localhost/x', true)).rejects.toThrow(/https/);
  });

  it('refuses in the socket look-up too, unless private addresses are allowed', async () => {
    const refused = await new Promise<Error | null>((resolve) =>
      guardedLookup(false)('localhost', {}, (err) => resolve(err)),
    );
    expect(refused).toBeInstanceOf(AddressRefused);
    const allowed = await new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(true)('localhost', { all: true }, (err, address) => resolve({ err, address })),
    );
    expect(allowed.err).toBeNull();
    expect(Array.isArray(allowed.address) && allowed.address.length).toBeGreaterThan(0);
    const missing = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup(true)('no-such-host.invalid', {}, (err) => resolve(err)),
    );
    expect(missing?.code).toBe('ENOTFOUND');
  });

  describe('through an agent', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('connects to a private address only when allowed, and names the refusal otherwise', async () => {
      const strict = guardedAgent({ allowPrivate: false, timeoutMs: 2000 });
      const open = guardedAgent({ allowPrivate: true, timeoutMs: 2000 });
      try {
        const err = await request(`http://localhost:${port}/`, { dispatcher: strict }).catch(
          (e: unknown) => e,
        );
        expect(refusalOf(err)).toMatch(/localhost resolves to .* loopback address/);
        const res = await request(`http://localhost:${port}/`, { dispatcher: open });
        expect(await res.body.text()).toBe('ok');
        expect(refusalOf(new Error('other'))).toBeNull();
        expect(refusalOf(null)).toBeNull();
      } finally {
        await strict.close();
        await open.close();
      }
    });
  });
});
