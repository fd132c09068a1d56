/**
 * The attack suite: the real stack (tools/stack, as `npm start` runs it) driven only through the
 * gateway, as an outsider would: forged cursors, spoofed client addresses, someone else's ids on
 * every contract route for every role, hold floods, replayed Idempotency-Keys, bad-token floods,
 * the public readiness and metrics, tokens in query strings against the logs, and weak secrets at
 * start-up. Each attack adds a row to the table printed at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { apiRoutes, type ApiRoute } from '@midas/contracts';
import { signToken, type TokenOptions } from '@midas/testing';
import { clientAddress, send, type CallOptions, type Reply } from './support/client';
import { AttackReport } from './support/report';
import { aim, leaked, probes, type Attacker, type Fixtures } from './support/route-matrix';
import { startAlone, startRealStack, type RunningStack } from './support/stack';

const report = new AttackReport();
let stack: RunningStack;
let fx: Fixtures;
let admin: string;

const VICTIM_LOCATION = 'atk-riviera';
const OTHER_LOCATION = 'atk-alps';
const GUEST_LIMIT = 120;

function at(days: number, hour = 10): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}

const token = (opts: TokenOptions) => signToken({ ...opts, secret: stack.jwtSecret });
const call = (method: string, path: string, opts: CallOptions = {}) => send(stack.base, method, path, opts);

async function expectStatus(reply: Reply, status: number, what: string): Promise<Reply> {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply;
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  stack = await startRealStack({
    RATE_LIMIT_GUEST_PER_MIN: String(GUEST_LIMIT),
    MAX_ACTIVE_HOLDS_PER_HOLDER: '5',
  });
  admin = await token({ role: 'admin', sub: 'atk-admin' });
  const root = await token({ role: 'super_admin', sub: 'atk-root' });
  const setup = clientAddress(0);

  const item = await expectStatus(
    await call('POST', '/v1/items', {
      token: admin,
      from: setup,
      body: {
        type: 'car',
        name: 'Attack target car',
        location: VICTIM_LOCATION,
        timezone: 'Europe/Paris',
        currency: 'EUR',
        rate: { unit: 'day', amount: 50_000 },
        minNoticeMinutes: 0,
      },
    }),
    201,
    'item',
  );
  const itemId = item.json.id as string;
  const concierge = await call('POST', '/v1/staff/concierges', {
    token: root,
    from: setup,
    body: {
      id: 'atk-conc-riviera',
      name: 'Riviera Concierge',
      email: 'riviera-concierge-private@midas.test',
      location: VICTIM_LOCATION,
      capacity: 10,
    },
  });
  await expectStatus(concierge, 201, 'concierge');
  const owner = await token({
    role: 'customer',
    sub: 'atk-owner',
    email: 'owner-private@example.com',
    name: 'Olivia Private',
  });
  // Pricing learns items from events: wait until it quotes this one.
  const quote = await until(async () => {
    const r = await call('POST', '/v1/quotes', {
      token: owner,
      from: setup,
      body: { itemId, start: at(40), end: at(41) },
    });
    return r.status === 201 || r.status === 200 ? r : undefined;
  }, 'quote');
  const hold = await expectStatus(
    await call('POST', '/v1/holds', {
      token: owner,
      from: setup,
      body: { itemId, start: at(30), end: at(31) },
    }),
    201,
    'hold',
  );
  const booking = await expectStatus(
    await call('POST', '/v1/bookings', {
      token: owner,
      from: setup,
      body: { itemId, start: at(40), end: at(41) },
    }),
    201,
    'booking',
  );
  const bookingId = booking.json.id as string;
  await expectStatus(
    await call('POST', `/v1/payments/local/${bookingId}/confirm`, { token: owner, from: setup }),
    200,
    'local payment',
  );
  const pending = await expectStatus(
    await call('POST', '/v1/bookings', {
      token: owner,
      from: setup,
      body: { itemId, start: at(44), end: at(45) },
    }),
    201,
    'pending booking',
  );
  const guestBooking = await expectStatus(
    await call('POST', '/v1/bookings', {
      from: setup,
      body: {
        itemId,
        start: at(50),
        end: at(51),
        guest: {
          name: 'Victor Private',
          email: 'victim-guest-private@example.com',
          phone: '+33 6 11 22 33 44',
        },
      },
    }),
    201,
    'guest booking',
  );
  const blackout = await expectStatus(
    await call('POST', `/v1/items/${itemId}/blackouts`, {
      token: admin,
      from: setup,
      body: { start: at(60), end: at(61), reason: 'atk-private-blackout-reason' },
    }),
    201,
    'blackout',
  );
  const notificationId = await until(async () => {
    const r = await call('GET', `/v1/notifications?bookingId=${bookingId}`, { token: admin, from: setup });
    return (r.json?.items?.[0]?.id as string | undefined) ?? undefined;
  }, 'communications record');

  fx = {
    victimLocation: VICTIM_LOCATION,
    itemId,
    blackoutId: blackout.json.id as string,
    holdId: hold.json.id as string,
    holdSlot: { start: at(30), end: at(31) },
    bookingId,
    pendingBookingId: pending.json.id as string,
    guestBookingId: guestBooking.json.id as string,
    guestAccessToken: guestBooking.json.accessToken as string,
    notificationId,
    quoteId: quote.json.id as string,
    customerId: 'atk-owner',
    conciergeId: 'atk-conc-riviera',
    secrets: [
      'owner-private@example.com',
      'Olivia Private',
      'victim-guest-private@example.com',
      'Victor Private',
      '+33 6 11 22 33 44',
      'riviera-concierge-private@midas.test',
      'atk-private-blackout-reason',
      guestBooking.json.accessToken as string,
      bookingId,
      pending.json.id as string,
      guestBooking.json.id as string,
      hold.json.id as string,
      blackout.json.id as string,
      notificationId,
    ],
  };
}, 240_000);

afterAll(async () => {
  process.stdout.write(`\nAttack suite\n${report.render()}\n`);
  await stack?.stop();
}, 60_000);

describe('attacks through the gateway', () => {
  it("someone else's ids on every contract route, for every attacking role and another location", async () => {
    const attackers: Attacker[] = [
      { label: 'guest', role: 'guest', from: clientAddress(1) },
      { label: 'customer', role: 'customer', token: await token({ role: 'customer', sub: 'atk-mallory' }) },
      {
        label: 'concierge without location',
        role: 'concierge',
        token: await token({ role: 'concierge', sub: 'atk-conc-none' }),
      },
      {
        label: 'concierge of another location',
        role: 'concierge',
        token: await token({ role: 'concierge', sub: 'atk-conc-alps', location: OTHER_LOCATION }),
      },
    ];
    const all = probes(attackers, fx, { start: at(70), end: at(71) }, { from: at(1), to: at(90) });
    const failures: string[] = [];
    const byRole = new Map<string, { sent: number; statuses: Map<number, number>; failed: number }>();
    for (const p of all) {
      const reply = await call(p.method, p.path, {
        token: p.attacker.token,
        body: p.body,
        from: p.attacker.from,
      });
      const leaks = leaked(reply.text, fx, p.path);
      const ok = p.expected.includes(reply.status) && leaks.length === 0;
      const row = byRole.get(p.attacker.label) ?? { sent: 0, statuses: new Map(), failed: 0 };
      row.sent += 1;
      row.statuses.set(reply.status, (row.statuses.get(reply.status) ?? 0) + 1);
      if (!ok) {
        row.failed += 1;
        failures.push(
          `${p.attacker.label} ${p.method.toUpperCase()} ${p.path}: ${reply.status}${leaks.length ? ` leaked ${leaks.join(', ')}` : ''} (expected ${p.expected.join('/')}: ${p.why})`,
        );
      }
      byRole.set(p.attacker.label, row);
    }
    for (const [label, row] of byRole) {
      report.add({
        attack: `foreign ids, ${label} (${apiRoutes.length} routes)`,
        sent: row.sent,
        expected: '401/403/404; public reads 200 without victim data',
        observed:
          [...row.statuses]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}x${n}`)
            .join(' ') + (row.failed ? `, ${row.failed} wrong` : ''),
        passed: row.failed === 0,
      });
    }
    expect(failures).toEqual([]);
  });

  it("a guest's access token opens only that guest's booking", async () => {
    const q = `?accessToken=${encodeURIComponent(fx.guestAccessToken)}`;
    const own = await call('GET', `/v1/bookings/${fx.guestBookingId}${q}`, { from: clientAddress(1) });
    const other = await call('GET', `/v1/bookings/${fx.bookingId}${q}`, { from: clientAddress(1) });
    const history = await call('GET', `/v1/bookings/${fx.bookingId}/history${q}`, { from: clientAddress(1) });
    const passed = own.status === 200 && other.status === 404 && history.status === 404;
    report.add({
      attack: 'guest access token on another booking',
      sent: 3,
      expected: 'own 200, other 404',
      observed: `own ${own.status}, other ${other.status}/${history.status}`,
      passed,
    });
    expect([own.status, other.status, history.status]).toEqual([200, 404, 404]);
  });

  it('forged list cursors are 400 on every paginated route, never 500', async () => {
    const forgeries = [
      'not-a-cursor!!',
      'A'.repeat(500),
      Buffer.from('{"at":"not-a-date","id":"x"}').toString('base64url'),
      Buffer.from('{"at":"2026-02-30T25:61:00Z","id":"00000000-0000-0000-0000-000000000000"}').toString(
        'base64url',
      ),
      Buffer.from('null').toString('base64url'),
      Buffer.from('[1,2,3]').toString('base64url'),
      Buffer.from('"a string"').toString('base64url'),
      Buffer.from('{"id":"a\\u0000b"}').toString('base64url'),
      Buffer.from(`{"id":"'; DROP TABLE bookings; --","evil":true}`).toString('base64url'),
    ];
    const withCursor = apiRoutes.filter(
      (r) =>
        r.method === 'get' && (r.query as { shape?: Record<string, unknown> } | undefined)?.shape?.cursor,
    );
    let sent = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const root = await token({ role: 'super_admin', sub: 'atk-root' });
    // Garbage is a 400; a real cursor with one field replaced may still be a valid cursor (any
    // string is a location name), so there the rule is only: never a 500.
    const tryCursor = async (route: ApiRoute, path: string, cursor: string, mutated = false) => {
      const sep = path.includes('?') ? '&' : '?';
      const reply = await call('GET', `${path}${sep}cursor=${encodeURIComponent(cursor)}`, {
        token: root,
        from: clientAddress(2),
      });
      sent += 1;
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const allowed = mutated
        ? [200, 400, 404]
        : route.path.includes(':') && !path.includes(fx.bookingId)
          ? [400, 404]
          : [400];
      if (!allowed.includes(reply.status))
        failures.push(`${path} cursor=${cursor.slice(0, 40)}: ${reply.status}`);
    };
    for (const route of withCursor) {
      const path = aim(route, fx, { from: at(1), to: at(90) });
      // A JSON object may happen to fit a route's own cursor shape (then 200); the rest is 400.
      for (const cursor of forgeries) {
        const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
        await tryCursor(route, path, cursor, decoded.startsWith('{'));
      }
      // A cursor this route really gave out, each field replaced by something it never holds.
      const sep = path.includes('?') ? '&' : '?';
      const first = await call('GET', `${path}${sep}limit=1`, { token: root, from: clientAddress(2) });
      const real = first.json?.nextCursor as string | undefined;
      if (!real) continue;
      const decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const field of Object.keys(decoded)) {
        for (const value of [
          'not-a-date',
          12345,
          null,
          { $gt: '' },
          'x'.repeat(300),
          'a\u0000b',
          "' OR 1=1 --",
        ]) {
          await tryCursor(
            route,
            path,
            Buffer.from(JSON.stringify({ ...decoded, [field]: value })).toString('base64url'),
            true,
          );
        }
      }
      await tryCursor(
        route,
        path,
        Buffer.from(JSON.stringify({ ...decoded, extra: 1 })).toString('base64url'),
        true,
      );
    }
    report.add({
      attack: `forged cursors (${withCursor.length} paginated routes)`,
      sent,
      expected: 'garbage 400 (404 unknown parent); edited real cursors never 500',
      observed: [...statuses].map(([s, n]) => `${s}x${n}`).join(' '),
      passed: failures.length === 0,
    });
    expect(failures).toEqual([]);
    expect(withCursor.length).toBeGreaterThan(3);
  });

  it('a spoofed X-Forwarded-For does not buy a fresh guest budget (TRUST_PROXY unset)', async () => {
    const from = clientAddress(3);
    const statuses: number[] = [];
    for (let i = 0; i < GUEST_LIMIT + 10; i++) {
      const spoof = `203.0.113.${i % 250}, 10.0.0.${i % 250}`;
      const reply = await call('GET', '/v1/items?limit=1', {
        from,
        headers: {
          'x-forwarded-for': spoof,
          'x-real-ip': `198.51.100.${i % 250}`,
          forwarded: `for=192.0.2.${i % 250}`,
        },
      });
      statuses.push(reply.status);
    }
    const first429 = statuses.indexOf(429) + 1;
    report.add({
      attack: 'spoofed X-Forwarded-For / X-Real-IP / Forwarded',
      sent: statuses.length,
      expected: `429 after ${GUEST_LIMIT} requests`,
      observed: first429
        ? `first 429 at #${first429}, ${statuses.filter((s) => s === 429).length}x429`
        : 'never 429',
      passed: first429 > 0 && first429 <= GUEST_LIMIT + 1,
    });
    expect(first429).toBeGreaterThan(0);
    expect(first429).toBeLessThanOrEqual(GUEST_LIMIT + 1);
  });

  it('a flood of bad tokens is throttled by client address', async () => {
    const from = clientAddress(4);
    const wrongKey = await signToken({
      role: 'admin',
      sub: 'atk-forger',
      secret: randomBytes(48).toString('base64'),
    });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"admin"}').toString('base64url')}.`;
    const bad = ['garbage', wrongKey, none, `${wrongKey.slice(0, -4)}AAAA`];
    const statuses: number[] = [];
    for (let i = 0; i < GUEST_LIMIT + 10; i++) {
      const reply = await call('GET', '/v1/bookings', { from, token: bad[i % bad.length] });
      statuses.push(reply.status);
    }
    const first429 = statuses.indexOf(429) + 1;
    const other = statuses.filter((s) => s !== 401 && s !== 429);
    report.add({
      attack: 'bad-token flood (garbage, wrong key, alg none)',
      sent: statuses.length,
      expected: `401, then 429 after ${GUEST_LIMIT}`,
      observed: `${statuses.filter((s) => s === 401).length}x401, first 429 at #${first429 || 'never'}${other.length ? `, other ${other.join(',')}` : ''}`,
      passed: first429 > 0 && first429 <= GUEST_LIMIT + 1 && other.length === 0,
    });
    expect(other).toEqual([]);
    expect(first429).toBeGreaterThan(0);
    expect(first429).toBeLessThanOrEqual(GUEST_LIMIT + 1);
  });

  it('hold floods stop at MAX_ACTIVE_HOLDS_PER_HOLDER with 429 too_many_active_holds', async () => {
    const results: string[] = [];
    let sent = 0;
    let passed = true;
    const flood = async (label: string, create: (i: number) => Promise<Reply>) => {
      const statuses: number[] = [];
      let last: Reply | undefined;
      for (let i = 0; i < 7; i++) {
        last = await create(i);
        statuses.push(last.status);
        sent += 1;
      }
      const code = (last?.json?.code as string | undefined) ?? '';
      const ok =
        statuses.slice(0, 5).every((s) => s === 201) &&
        statuses.slice(5).every((s) => s === 429) &&
        code === 'too_many_active_holds' &&
        Boolean(last?.headers['retry-after']);
      passed &&= ok;
      results.push(`${label} ${statuses.join(',')} ${code}`);
    };
    await flood('guest', (i) =>
      call('POST', '/v1/holds', {
        from: clientAddress(5),
        body: { itemId: fx.itemId, start: at(100 + i), end: at(100 + i, 12) },
      }),
    );
    const hoarder = await token({ role: 'customer', sub: 'atk-hoarder' });
    await flood('customer', (i) =>
      call('POST', '/v1/holds', {
        token: hoarder,
        body: { itemId: fx.itemId, start: at(110 + i), end: at(110 + i, 12) },
      }),
    );
    // Unpaid bookings keep their holds: they count too.
    const unpaid = await token({ role: 'customer', sub: 'atk-unpaid' });
    await flood('unpaid bookings', (i) =>
      call(i < 5 ? 'POST' : 'POST', i < 5 ? '/v1/bookings' : '/v1/holds', {
        token: unpaid,
        body: { itemId: fx.itemId, start: at(120 + i), end: at(120 + i, 12) },
      }),
    );
    report.add({
      attack: 'hold floods (guest, customer, unpaid bookings)',
      sent,
      expected: '5x201, then 429 too_many_active_holds + Retry-After',
      observed: results.join('; '),
      passed,
    });
    expect(results).toEqual([
      'guest 201,201,201,201,201,429,429 too_many_active_holds',
      'customer 201,201,201,201,201,429,429 too_many_active_holds',
      'unpaid bookings 201,201,201,201,201,429,429 too_many_active_holds',
    ]);
    expect(passed).toBe(true);
  });

  it("a second guest replaying another guest's Idempotency-Key gets none of the first guest's secrets", async () => {
    const key = `atk-${randomUUID()}`;
    const booking = {
      itemId: fx.itemId,
      start: at(130),
      end: at(131),
      guest: { name: 'First Guest', email: 'first@example.com', phone: '+33 6 22 33 44 55' },
    };
    const first = await call('POST', '/v1/bookings', {
      from: clientAddress(6),
      body: booking,
      headers: { 'idempotency-key': key },
    });
    const second = await call('POST', '/v1/bookings', {
      from: clientAddress(7),
      body: booking,
      headers: { 'idempotency-key': key },
    });
    const holdKey = `atk-${randomUUID()}`;
    const holdBody = { itemId: fx.itemId, start: at(135), end: at(136) };
    const firstHold = await call('POST', '/v1/holds', {
      from: clientAddress(6),
      body: holdBody,
      headers: { 'idempotency-key': holdKey },
    });
    const secondHold = await call('POST', '/v1/holds', {
      from: clientAddress(7),
      body: holdBody,
      headers: { 'idempotency-key': holdKey },
    });
    const secrets = [
      first.json?.id,
      first.json?.accessToken,
      first.json?.payment?.clientSecret,
      firstHold.json?.id,
      firstHold.json?.holdToken,
    ].filter((s): s is string => typeof s === 'string' && s.length > 0);
    const leaks = secrets.filter((s) => second.text.includes(s) || secondHold.text.includes(s));
    const passed =
      first.status === 201 &&
      firstHold.status === 201 &&
      leaks.length === 0 &&
      second.status !== 201 &&
      secondHold.status !== 201;
    report.add({
      attack: 'Idempotency-Key replayed by another guest',
      sent: 4,
      expected: 'second guest: own answer (409 slot taken), no first-guest secret',
      observed: `booking ${first.status}/${second.status}, hold ${firstHold.status}/${secondHold.status}, ${leaks.length} secrets leaked`,
      passed,
    });
    expect(leaks).toEqual([]);
    expect([first.status, firstHold.status]).toEqual([201, 201]);
    expect([409, 429]).toContain(second.status);
    expect([409, 429]).toContain(secondHold.status);
  });

  it('public /readyz says ready or not without internals; /metrics is not public', async () => {
    const internalWords = /postgres|redis|rabbitmq|amqp|ECONNREFUSED|127\.0\.0\.1|:\d{4,5}\b|password|stack/i;
    const readies = await Promise.all(
      Array.from({ length: 20 }, () => call('GET', '/readyz', { from: clientAddress(8) })),
    );
    const guestMetrics = await call('GET', '/metrics', { from: clientAddress(8) });
    const customerMetrics = await call('GET', '/metrics', {
      token: await token({ role: 'customer', sub: 'atk-curious' }),
    });
    const internal = await fetch(`${stack.internalBase}/metrics`).then(async (r) => ({
      status: r.status,
      text: await r.text(),
    }));
    const readyDetail = readies.filter((r) => internalWords.test(r.text));
    const passed =
      readies.every((r) => r.status === 200) &&
      readyDetail.length === 0 &&
      guestMetrics.status === 401 &&
      customerMetrics.status === 403 &&
      !guestMetrics.text.includes('# HELP') &&
      internal.status === 200 &&
      internal.text.includes('# HELP');
    report.add({
      attack: 'public /readyz and /metrics',
      sent: readies.length + 3,
      expected: 'readyz 200 without detail; metrics 401/403 (internal port 200)',
      observed: `readyz ${[...new Set(readies.map((r) => r.status))].join(',')} (${readyDetail.length} with detail), metrics guest ${guestMetrics.status}, customer ${customerMetrics.status}, internal ${internal.status}`,
      passed,
    });
    expect(readyDetail.map((r) => r.text)).toEqual([]);
    expect(readies.map((r) => r.status)).toEqual(readies.map(() => 200));
    expect([guestMetrics.status, customerMetrics.status, internal.status]).toEqual([401, 403, 200]);
    expect(guestMetrics.text).not.toContain('# HELP');
  });

  it('tokens in query strings and Authorization headers never reach the logs', async () => {
    const markers = {
      accessToken: `atkAccess${randomBytes(12).toString('hex')}`,
      token: `atkFeed${randomBytes(12).toString('hex')}`,
      holdToken: `atkHold${randomBytes(12).toString('hex')}`,
    };
    const bearer = await token({ role: 'customer', sub: 'atk-logged' });
    const calls = [
      call(
        'GET',
        `/v1/bookings/${fx.guestBookingId}?accessToken=${encodeURIComponent(fx.guestAccessToken)}`,
        { from: clientAddress(9) },
      ),
      call('GET', `/v1/bookings/${fx.bookingId}?accessToken=${markers.accessToken}`, {
        from: clientAddress(9),
      }),
      call('GET', `/v1/bookings/${fx.bookingId}/history?accessToken=${markers.accessToken}&cursor=%00%00`, {
        from: clientAddress(9),
      }),
      call('GET', `/v1/calendar/feeds/${fx.itemId}.ics?token=${markers.token}`, { from: clientAddress(9) }),
      call('DELETE', `/v1/holds/${fx.holdId}?holdToken=${markers.holdToken}`, { from: clientAddress(9) }),
      call('GET', `/v1/bookings?cursor=${markers.token}`, { token: bearer }),
      call('GET', `/v1/nowhere?accessToken=${markers.accessToken}`, { token: bearer }),
    ];
    const replies = await Promise.all(calls);
    // Log lines are written as the requests finish; give the pipes a moment.
    await new Promise((r) => setTimeout(r, 1500));
    const out = stack.output();
    const found = [...Object.values(markers), fx.guestAccessToken, bearer, stack.jwtSecret].filter((m) =>
      out.includes(m),
    );
    const passed = found.length === 0;
    report.add({
      attack: 'tokens in query strings and headers vs logs',
      sent: replies.length,
      expected: 'no token in any log line',
      observed: `${found.length} found in ${out.split('\n').length} log lines (statuses ${replies.map((r) => r.status).join(',')})`,
      passed,
    });
    expect(found).toEqual([]);
  });
});

describe('start-up under NODE_ENV=production', () => {
  it('refuses weak, published or missing JWT secrets, http JWKS and missing secrets, exiting non-zero with the reason', async () => {
    const unreachable = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/midas_never',
      REDIS_URL: 'redis://127.0.0.1:1',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
      NODE_ENV: 'production',
      GATEWAY_PORT: '0',
      BOOKING_PORT: '0',
      NOTIFICATION_PORT: '0',
      MIDAS_SKIP_MIGRATIONS: 'true',
      LOG_LEVEL: 'error',
    };
    const strong = randomBytes(48).toString('base64');
    const cases: { label: string; service: string; env: Record<string, string | undefined>; says: RegExp }[] =
      [
        {
          label: 'JWT_SECRET missing',
          service: 'gateway',
          env: { JWT_SECRET: undefined, JWT_JWKS_URL: undefined },
          says: /JWT_SECRET/,
        },
        {
          label: 'JWT_SECRET short',
          service: 'gateway',
          env: { JWT_SECRET: 'short-secret-123' },
          says: /JWT_SECRET.*shorter/,
        },
        {
          label: 'JWT_SECRET low entropy',
          service: 'gateway',
          env: { JWT_SECRET: 'ab'.repeat(32) },
          says: /JWT_SECRET.*entropy/,
        },
        {
          label: 'JWT_SECRET development default',
          service: 'gateway',
          env: { JWT_SECRET: 'midas-development-secret-do-not-use-in-production' },
          says: /JWT_SECRET.*published/,
        },
        {
          label: 'JWT_SECRET compose default (booking)',
          service: 'booking',
          env: { JWT_SECRET: 'local-compose-only-secret-0123456789abcdef' },
          says: /JWT_SECRET.*published/,
        },
        {
          label: 'JWT_JWKS_URL over http',
          service: 'gateway',
          env: { JWT_SECRET: undefined, JWT_JWKS_URL: 'http://keys.example.com/jwks.json' },
          says: /JWT_JWKS_URL.*https/,
        },
        {
          label: 'no payment provider (booking)',
          service: 'booking',
          env: {
            JWT_SECRET: strong,
            STRIPE_SECRET_KEY: undefined,
            PAYPAL_CLIENT_ID: undefined,
            ALLOW_LOCAL_PAYMENTS: undefined,
          },
          says: /STRIPE_SECRET_KEY/,
        },
      ];
    const outcomes = await Promise.all(
      cases.map(async (c) => ({ c, ...(await startAlone(c.service, { ...unreachable, ...c.env }, 45_000)) })),
    );
    const failures: string[] = [];
    for (const o of outcomes) {
      const passed = o.code !== null && o.code !== 0 && o.c.says.test(o.output);
      if (!passed) failures.push(`${o.c.label}: exit ${o.code}, ${o.output.slice(0, 300)}`);
      report.add({
        attack: `start-up: ${o.c.label}`,
        sent: 0,
        expected: `exit non-zero naming ${o.c.says.source.split('.*')[0]}`,
        observed: `exit ${o.code}: ${o.output.trim().split('\n')[0]!.slice(0, 80)}`,
        passed,
      });
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
