/** The queue board at /admin/queues: admins see the namespace's time-driven queues; guests get 401, everyone else 403. */
import { Jobs } from '@midas/jobs';
import { createLogger } from '@midas/observability';
import { createTestEnv, signToken, bearer, type TestEnv } from '@midas/testing';
import { startGateway, type RunningGateway } from '../src/gateway';

let env: TestEnv;
let gateway: RunningGateway;
let jobs: Jobs;
let base: string;

beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_GUEST_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0' });
  jobs = await Jobs.create({
    redisUrl: env.cfg.REDIS_URL,
    namespace: env.namespace,
    logger: createLogger('queue-board-test', 'silent'),
  });
  await jobs
    .queue('reminders')
    .add('remind', { bookingId: 'b-1' }, { jobId: 'reminder.b-1.1h', delay: 3_600_000 });
  await jobs
    .queue('lifecycle')
    .add('no-show', { bookingId: 'b-1' }, { jobId: 'no-show.b-1', delay: 7_200_000 });
  gateway = await startGateway(env.cfg, { port: 0 });
  base = `http://127.0.0.1:${gateway.port}`;
});

afterAll(async () => {
  await gateway?.stop();
  await jobs?.close();
  await env?.cleanup();
});

async function get(path: string, token?: string) {
  return fetch(`${base}${path}`, { headers: token ? bearer(token) : {} });
}

it('refuses guests with 401 and non-admins with 403, as problem+json', async () => {
  const guest = await get('/admin/queues/api/queues');
  expect(guest.status).toBe(401);
  expect(guest.headers.get('content-type')).toMatch(/application\/problem\+json/);
  for (const role of ['customer', 'concierge'] as const) {
    const res = await get(
      '/admin/queues/api/queues',
      await signToken({ role, sub: `${role}-1`, location: 'monaco' }),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  }
  expect((await get('/admin/queues')).status).toBe(401);
  expect((await get('/admin/queues', await signToken({ role: 'customer' }))).status).toBe(403);
  expect((await get('/admin/queues/api/queues', 'not-a-token')).status).toBe(401);
});

it("shows admins the namespace's time-driven queues with their jobs", async () => {
  for (const role of ['admin', 'super_admin'] as const) {
    const res = await get('/admin/queues/api/queues', await signToken({ role, sub: `${role}-1` }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([
      'calendar-sync',
      'holds',
      'lifecycle',
      'notifications',
      'refunds',
      'reminders',
    ]);
    const counts = Object.fromEntries(body.queues.map((q) => [q.name, q.counts.delayed]));
    expect(counts).toEqual({
      reminders: 1,
      lifecycle: 1,
      refunds: 0,
      holds: 0,
      notifications: 0,
      'calendar-sync': 0,
    });
  }
  const page = await get('/admin/queues', await signToken({ role: 'admin', sub: 'admin-1' }));
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toContain('/admin/queues');
});
