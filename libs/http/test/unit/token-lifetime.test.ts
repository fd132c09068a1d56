import fc from 'fast-check';
import { SignJWT } from 'jose';
import { createAuthenticator, lifetimeProblem } from '../../src';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const auth = createAuthenticator({
  jwtSecret: SECRET,
  issuer: 'midas',
  audience: 'midas-api',
  maxAgeSeconds: 3600,
});
const now = () => Math.floor(Date.now() / 1000);

function sign(iat: number | undefined, exp: number): Promise<string> {
  const jwt = new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('admin-1')
    .setIssuer('midas')
    .setAudience('midas-api')
    .setExpirationTime(exp);
  if (iat !== undefined) jwt.setIssuedAt(iat);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

describe('JWT_MAX_AGE caps token lifetime', () => {
  it('accepts a token that lives within the cap', async () => {
    await expect(auth(`Bearer ${await sign(now(), now() + 1800)}`)).resolves.toMatchObject({ role: 'admin' });
    await expect(auth(`Bearer ${await sign(undefined, now() + 1800)}`)).resolves.toMatchObject({
      role: 'admin',
    });
  });

  it('refuses a still-valid token issued to live longer than the cap (401)', async () => {
    await expect(auth(`Bearer ${await sign(now(), now() + 30 * 86400)}`)).rejects.toMatchObject({
      status: 401,
    });
    await expect(auth(`Bearer ${await sign(undefined, now() + 30 * 86400)}`)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses a token issued longer ago than the cap even when its exp is still ahead (401)', async () => {
    await expect(auth(`Bearer ${await sign(now() - 7200, now() + 600)}`)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('defaults to 24 hours', async () => {
    const daily = createAuthenticator({ jwtSecret: SECRET, issuer: 'midas', audience: 'midas-api' });
    await expect(daily(`Bearer ${await sign(now(), now() + 20 * 3600)}`)).resolves.toBeDefined();
    await expect(daily(`Bearer ${await sign(now(), now() + 25 * 3600)}`)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('never admits a lifetime over the cap, whatever the times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (iat, life) => {
        const problem = lifetimeProblem({ iat, exp: iat + life }, iat, 3600, 5);
        return life > 3600 ? problem !== undefined : problem === undefined;
      }),
    );
  });
});
