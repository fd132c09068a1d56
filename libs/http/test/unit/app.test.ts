import request from 'supertest';
import { z } from 'zod';
import { SignJWT, UnsecuredJWT, generateKeyPair, exportJWK } from 'jose';
import express from 'express';
import { createServer, type Server } from 'node:http';
import { createLogger, createMetrics } from '@midas/observability';
import { Conflict, RuleViolation } from '@midas/contracts';
import {
  createApp,
  createAuthenticator,
  parseInput,
  requireRole,
  fields,
  type Authenticator,
} from '../../src';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';

async function token(
  claims: Record<string, unknown>,
  opts: { secret?: string; aud?: string; iss?: string; exp?: string | number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject((claims.sub as string) ?? 'user-1')
    .setIssuer(opts.iss ?? 'midas')
    .setAudience(opts.aud ?? 'midas-api')
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

function buildApp(auth: Authenticator) {
  const logger = createLogger('test', 'silent');
  return createApp({
    service: 'test',
    logger,
    metrics: createMetrics('test'),
    auth,
    readiness: { always: async () => undefined },
    routes: (r) => {
      r.post('/things', (req, res) => {
        const body = parseInput(
          z.strictObject({
            name: z.string().min(1),
            start: fields.instant,
            count: z.number().int().optional(),
          }),
          req.body,
        );
        res.status(201).json({ name: body.name, start: body.start.toISOString() });
      });
      r.get('/admin-only', requireRole('admin'), (req, res) => {
        res.json({ role: req.principal.role });
      });
      r.get('/things/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
      r.get('/whoami', (req, res) => {
        res.json(req.principal);
      });
      r.get('/conflict', () => {
        throw new Conflict('slot_taken', 'That slot is taken');
      });
      r.get('/rule', () => {
        throw new RuleViolation('min_notice', 'Too soon');
      });
      r.get('/boom', () => {
        throw new Error('database password is hunter2');
      });
      // pg-pool's error when no connection comes free in time, bare and as drizzle wraps it.
      r.get('/pool-busy', () => {
        throw new Error('timeout exceeded when trying to connect');
      });
      r.get('/pool-busy-wrapped', () => {
        throw new Error('Failed query: select 1', {
          cause: new Error('timeout exceeded when trying to connect'),
        });
      });
    },
  });
}

describe('http app with HS256 tokens', () => {
  const app = buildApp(createAuthenticator({ jwtSecret: SECRET, issuer: 'midas', audience: 'midas-api' }));

  it('treats a request without Authorization as a guest', async () => {
    const res = await request(app).get('/whoami');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ role: 'guest' });
  });

  it('accepts a valid token and exposes the principal', async () => {
    const t = await token({ role: 'concierge', sub: 'c-1', location: 'Monaco' });
    const res = await request(app).get('/whoami').set('Authorization', `Bearer ${t}`);
    expect(res.body).toEqual({ role: 'concierge', sub: 'c-1', location: 'Monaco' });
  });

  it.each([
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ role: 'admin' })
          .setSubject('x')
          .setIssuer('midas')
          .setAudience('midas-api')
          .setExpirationTime('1h')
          .encode(),
    ],
    [
      'a wrong key',
      () => token({ role: 'admin' }, { secret: 'another-secret-of-at-least-thirty-two-chars' }),
    ],
    ['a wrong audience', () => token({ role: 'admin' }, { aud: 'someone-else' })],
    ['a wrong issuer', () => token({ role: 'admin' }, { iss: 'evil' })],
    ['an expired token', () => token({ role: 'admin' }, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an unknown role', () => token({ role: 'root' })],
    ['garbage', async () => 'not-a-jwt'],
  ])('refuses %s with 401 problem+json', async (_name, make) => {
    const res = await request(app)
      .get('/whoami')
      .set('Authorization', `Bearer ${await make()}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('answers 401 to a guest and 403 to a customer on an admin route', async () => {
    expect((await request(app).get('/admin-only')).status).toBe(401);
    const customer = await token({ role: 'customer' });
    const res = await request(app).get('/admin-only').set('Authorization', `Bearer ${customer}`);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/forbidden/);
    const superAdmin = await token({ role: 'super_admin' });
    expect((await request(app).get('/admin-only').set('Authorization', `Bearer ${superAdmin}`)).status).toBe(
      200,
    );
  });

  it('refuses a 1 MB body with 413', async () => {
    const res = await request(app)
      .post('/things')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });

  it('names an unknown field and each invalid field with 400', async () => {
    const res = await request(app).post('/things').send({ name: '', start: 'tomorrow', colour: 'red' });
    expect(res.status).toBe(400);
    const named = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(named).toEqual(['colour', 'name', 'start']);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await request(app).post('/things').set('Content-Type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
  });

  it('accepts a valid body and converts times to UTC', async () => {
    const res = await request(app).post('/things').send({ name: 'a', start: '2026-06-01T12:00:00+02:00' });
    expect(res.status).toBe(201);
    expect(res.body.start).toBe('2026-06-01T10:00:00.000Z');
  });

  it('maps domain errors to 409 and 422 with their codes', async () => {
    const c = await request(app).get('/conflict');
    expect(c.status).toBe(409);
    expect(c.body).toMatchObject({ code: 'slot_taken', detail: 'That slot is taken' });
    const r = await request(app).get('/rule');
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('min_notice');
  });

  it('hides the internals of an unexpected error', async () => {
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('answers 503 database_busy with Retry-After when no database connection comes free, not 500', async () => {
    for (const path of ['/pool-busy', '/pool-busy-wrapped']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ code: 'database_busy', retryAfterSeconds: 1 });
    }
  });

  it('answers a path parameter that is not valid percent-encoding with 400, not 500', async () => {
    const res = await request(app).get('/things/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_path');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await request(app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready', checks: { always: 'ok' } });
    await request(app).get('/whoami');
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toContain('http_server_duration_seconds_bucket');
    expect(metrics.text).toMatch(/route="\/whoami"/);
  });
});

describe('http app with JWKS tokens', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwks = express();
    jwks.get('/jwks', (_req, res) => {
      res.json({ keys: [jwk] });
    });
    server = createServer(jwks);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    jwksUrl = `http://127.0.0.1:${addr.port}/jwks`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('accepts ES256 tokens from the key set and refuses HS256 ones', async () => {
    const app = buildApp(createAuthenticator({ jwksUrl, issuer: 'midas', audience: 'midas-api' }));
    const good = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('a-1')
      .setIssuer('midas')
      .setAudience('midas-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await request(app).get('/admin-only').set('Authorization', `Bearer ${good}`)).status).toBe(200);
    const hs = await token({ role: 'admin' });
    expect((await request(app).get('/admin-only').set('Authorization', `Bearer ${hs}`)).status).toBe(401);
  });
});
