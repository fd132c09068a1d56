import { Redis } from 'ioredis';
import { createTestEnv, eventually, type TestEnv } from '@midas/testing';
import { createLogger, createMetrics } from '@midas/observability';
import { Jobs, jobId } from '@midas/jobs';

describe('BullMQ queues and workers', () => {
  let env: TestEnv;
  let jobs: Jobs;
  const metrics = createMetrics('jobs-test');

  beforeAll(async () => {
    env = await createTestEnv();
    jobs = await Jobs.create({
      redisUrl: env.cfg.REDIS_URL,
      namespace: env.namespace,
      logger: createLogger('test', 'silent'),
      metrics,
    });
  });
  afterAll(async () => {
    await jobs.close();
    await env.cleanup();
  });

  it('derives job ids from what a job is about and refuses ambiguous parts', () => {
    expect(jobId('reminder', '6f1c0c1e-2b7a-4a52-9d0e-5f3c7f0b8a11', '1h')).toBe(
      'reminder.6f1c0c1e-2b7a-4a52-9d0e-5f3c7f0b8a11.1h',
    );
    expect(() => jobId('reminder', 'a:b')).toThrow();
    expect(() => jobId('reminder', '')).toThrow();
  });

  it('adds a job scheduled twice under one deterministic id only once, and runs it', async () => {
    const queue = jobs.queue<{ bookingId: string }>('reminders');
    const id = jobId('reminder', 'b1', '1h');
    await queue.add('remind', { bookingId: 'b1' }, { jobId: id, delay: 50 });
    await queue.add('remind', { bookingId: 'b1' }, { jobId: id, delay: 50 });
    const ran: string[] = [];
    jobs.worker<{ bookingId: string }>('reminders', async (job) => {
      ran.push(`${job.id}:${job.data.bookingId}`);
    });
    await eventually(async () => ran.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(ran).toEqual([`${id}:b1`]);
  });

  it('keeps every key under the namespace prefix', async () => {
    await jobs.queue('prefixed').add('x', {}, { jobId: jobId('x', 1) });
    const redis = new Redis(env.cfg.REDIS_URL);
    try {
      const keys = await redis.keys(`*prefixed*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(`${env.namespace}bull:`))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('exports queue depth per state as a Prometheus gauge', async () => {
    await jobs.queue('depth').add('later', {}, { jobId: jobId('later', 1), delay: 60_000 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/midas_jobs_queue_jobs\{[^}]*queue="depth"[^}]*state="delayed"[^}]*\} 1/);
  });

  it('counts a job once when it fails for good, not on each retried attempt, from a series that starts at zero', async () => {
    const failed = () => metrics.registry.getSingleMetricAsString('midas_jobs_failed_total');
    let attempts = 0;
    jobs.worker('flaky', async () => {
      attempts++;
      throw new Error('always fails');
    });
    expect(await failed()).toMatch(/midas_jobs_failed_total\{[^}]*queue="flaky"[^}]*\} 0/);
    await jobs
      .queue('flaky')
      .add('x', {}, { jobId: jobId('flaky', 1), attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    await eventually(async () => /queue="flaky"[^}]*\} 1/.test(await failed()));
    expect(attempts).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(await failed()).toMatch(/midas_jobs_failed_total\{[^}]*queue="flaky"[^}]*\} 1/);
  });

  it('reports the Redis eviction policy it found', async () => {
    await expect(jobs.checkEvictionPolicy()).resolves.toBe('noeviction');
  });
});
