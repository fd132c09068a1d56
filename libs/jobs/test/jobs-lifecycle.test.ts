import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createTestEnv, eventually, type TestEnv } from '@midas/testing';
import { createLogger } from '@midas/observability';
import { Jobs, jobId } from '@midas/jobs';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// What startTelemetry (the OpenTelemetry SDK) registers in a service process.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('jobs-test', 'debug', stream), lines };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A throwaway Redis on its own port, for what the shared one must not be put through. */
function startRedis(port: number, policy: string): ChildProcess {
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      policy,
    ],
    {
      stdio: 'ignore',
    },
  );
}

describe('job queues over a process lifetime', () => {
  let env: TestEnv;
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env.cleanup();
    await provider.shutdown();
  });

  it('carries the trace of the code that scheduled a job into the worker that runs it', async () => {
    const jobs = await Jobs.create({ redisUrl: env.cfg.REDIS_URL, namespace: env.namespace, logger });
    try {
      let workerTraceId: string | undefined;
      jobs.worker('traced', async () => {
        workerTraceId = trace.getActiveSpan()?.spanContext().traceId;
      });
      const request = trace.getTracer('test').startSpan('POST /v1/bookings', { kind: SpanKind.SERVER });
      await context.with(trace.setSpan(context.active(), request), () =>
        jobs.queue('traced').add('run', {}, { jobId: jobId('traced', 1) }),
      );
      request.end();
      await eventually(async () => workerTraceId);
      expect(workerTraceId).toBe(request.spanContext().traceId);
    } finally {
      await jobs.close();
    }
  });

  it('closes within its time limit even when a job is still running', async () => {
    const jobs = await Jobs.create({ redisUrl: env.cfg.REDIS_URL, namespace: env.namespace, logger });
    let started = false;
    let release: () => void = () => undefined;
    jobs.worker('slow', async () => {
      started = true;
      await new Promise<void>((r) => (release = r));
    });
    await jobs.queue('slow').add('sleep', {}, { jobId: jobId('slow', 1) });
    await eventually(async () => started);
    const t0 = Date.now();
    await jobs.close(300);
    release();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(lines.some((l) => l.msg === 'jobs still active at shutdown; closing workers forcibly')).toBe(true);
  });

  it('fails fast when adding a job while Redis is down instead of buffering it in memory', async () => {
    const port = await freePort();
    const redis = startRedis(port, 'noeviction');
    const jobs = await eventually(
      () =>
        Jobs.create({
          redisUrl: `redis://127.0.0.1:${port}`,
          namespace: env.namespace,
          logger,
          connectTimeoutMs: 1000,
        }),
      10_000,
      100,
    );
    try {
      const queue = jobs.queue('offline');
      await queue.add('x', {}, { jobId: jobId('offline', 1) });
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const t0 = Date.now();
      await expect(queue.add('x', {}, { jobId: jobId('offline', 2) })).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await jobs.close(200);
    }
  });

  it('warns at start when Redis may evict keys', async () => {
    const port = await freePort();
    const redis = startRedis(port, 'allkeys-lru');
    try {
      const jobs = await eventually(
        () =>
          Jobs.create({
            redisUrl: `redis://127.0.0.1:${port}`,
            namespace: env.namespace,
            logger,
            connectTimeoutMs: 1000,
          }),
        10_000,
        100,
      );
      await jobs.close();
      const warning = lines.find((l) => typeof l.msg === 'string' && l.msg.includes('maxmemory-policy'));
      expect(warning).toMatchObject({ level: 'warn', policy: 'allkeys-lru' });
    } finally {
      redis.kill('SIGTERM');
    }
  });
});
