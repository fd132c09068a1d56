import { createServer, type Server } from 'node:http';
import express from 'express';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { Unauthenticated } from '@midas/contracts';
import { createAuthenticator } from '../../src';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const settings = { jwtSecret: SECRET, issuer: 'midas', audience: 'midas-api', clockToleranceSeconds: 0 };

function hs256(sub: string, expSeconds: number) {
  return new SignJWT({ role: 'customer' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('midas')
    .setAudience('midas-api')
    .setExpirationTime(expSeconds)
    .sign(new TextEncoder().encode(SECRET));
}

/** Moves the clock (Date, as both the cache and jose read it) without faking timers. */
function setClock(ms: number) {
  jest.useFakeTimers({
    now: ms,
    doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask', 'performance'],
  });
}

afterEach(() => jest.useRealTimers());

describe('verified token cache', () => {
  it('answers a repeated token from memory, and stops accepting it once it has expired', async () => {
    const auth = createAuthenticator(settings);
    const exp = Math.floor(Date.now() / 1000) + 2;
    const header = `Bearer ${await hs256('short-lived', exp)}`;
    const first = await auth(header);
    expect(first).toEqual({ role: 'customer', sub: 'short-lived', location: undefined });
    // The very same principal object: the second call did not verify again.
    expect(await auth(header)).toBe(first);
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    await expect(auth(header)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it('forgets an entry at its exp even when the clock jumps past it between two calls', async () => {
    const auth = createAuthenticator(settings);
    const exp = Math.floor(Date.now() / 1000) + 600;
    const header = `Bearer ${await hs256('jumper', exp)}`;
    await auth(header);
    setClock(exp * 1000 + 1);
    await expect(auth(header)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it('holds at most cacheSize tokens, dropping the least recently used', async () => {
    const auth = createAuthenticator({ ...settings, cacheSize: 2 });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (s) => `Bearer ${await hs256(s, exp)}`));
    const pa = await auth(a!);
    const pb = await auth(b!);
    await auth(c!);
    expect(await auth(b!)).toBe(pb);
    expect(await auth(a!)).not.toBe(pa);
    expect(await auth(a!)).toEqual(pa);
  });

  it('remembers nothing that failed: a bad token is refused every time', async () => {
    const auth = createAuthenticator(settings);
    const forged = `Bearer ${await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forger')
      .setIssuer('midas')
      .setAudience('midas-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-thirty-two-chars'))}`;
    for (let i = 0; i < 3; i++) await expect(auth(forged)).rejects.toBeInstanceOf(Unauthenticated);
  });

  describe('with a JWKS', () => {
    let server: Server;
    let jwksUrl: string;
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    beforeAll(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
      const app = express();
      app.get('/jwks', (_req, res) => {
        res.json({ keys: [jwk] });
      });
      server = createServer(app);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('trusts a verified token from memory for a minute at most, well within the key set cache', async () => {
      const auth = createAuthenticator({ jwksUrl, issuer: 'midas', audience: 'midas-api' });
      const header = `Bearer ${await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('jwks-admin')
        .setIssuer('midas')
        .setAudience('midas-api')
        .setExpirationTime('1h')
        .sign(privateKey)}`;
      const first = await auth(header);
      expect(await auth(header)).toBe(first);
      setClock(Date.now() + 61_000);
      const again = await auth(header);
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
    });
  });
});
