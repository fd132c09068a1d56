/**
 * BullMQ queues and workers for one process: namespaced key prefix, fail-fast queue connections,
 * workers that wait out Redis outages, removal policies, OpenTelemetry context carried with each
 * job, queue depth as Prometheus gauges, final failures as a counter, and a close that never hangs a shutdown.
 */
import { Queue, Worker, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { Redis } from 'ioredis';
import { Counter, Gauge, redactPassword, type Logger, type Metrics } from '@midas/observability';

export interface JobsOptionsInput {
  redisUrl: string;
  /** MIDAS_NAMESPACE; BullMQ keys live under `<namespace>bull`. */
  namespace: string;
  logger: Logger;
  /** Registers `midas_jobs_queue_jobs{queue,state}` in this registry when given. */
  metrics?: Metrics;
  /** How long `create` waits for Redis before failing start-up (default 10 s). */
  connectTimeoutMs?: number;
  /** Default job options for every queue (merged over the defaults below). */
  defaultJobOptions?: JobsOptions;
}

/** Completed jobs are kept a day (so a deterministic id is not re-run by a late duplicate add), failed ones a week. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

/** How a queue retries a job: its attempts, and the first delay, which doubles after each. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Queue options retrying on `policy` with exponential backoff. */
export function exponentialRetries(policy: RetryPolicy): JobsOptions {
  return { attempts: policy.attempts, backoff: { type: 'exponential', delay: policy.backoffMs } };
}

const STATES = [
  'waiting',
  'active',
  'delayed',
  'completed',
  'failed',
  'paused',
  'prioritized',
  'waiting-children',
] as const;

/** Where a namespace's BullMQ keys live (`<namespace>bull`), for anything that reads the queues from outside, such as a dashboard. */
export function jobsPrefix(namespace: string): string {
  return `${namespace}bull`;
}

export class Jobs {
  readonly prefix: string;
  private readonly logger: Logger;
  /** Queues fail fast when Redis is away instead of buffering adds in memory. */
  private readonly queueConnection: Redis;
  /** Workers block and must retry forever: BullMQ requires maxRetriesPerRequest null. */
  private readonly workerConnection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Set<Worker>();
  private readonly telemetry = new BullMQOtel('@midas/jobs');
  private closed: Promise<void> | undefined;
  private failed: Counter<'queue'> | undefined;

  constructor(private readonly opts: JobsOptionsInput) {
    this.prefix = jobsPrefix(opts.namespace);
    this.logger = opts.logger.child({ component: 'jobs' });
    this.queueConnection = new Redis(opts.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    this.workerConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    for (const conn of [this.queueConnection, this.workerConnection]) {
      conn.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'Redis connection error'));
    }
    if (opts.metrics) this.registerMetrics(opts.metrics);
  }

  /** Connects and warns when Redis may evict BullMQ keys (anything but `noeviction` loses jobs). */
  static async create(opts: JobsOptionsInput): Promise<Jobs> {
    const jobs = new Jobs(opts);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all([jobs.queueConnection.connect(), jobs.workerConnection.connect()]),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('no answer within 10 s')),
            opts.connectTimeoutMs ?? 10_000,
          );
        }),
      ]);
    } catch (err) {
      jobs.queueConnection.disconnect();
      jobs.workerConnection.disconnect();
      throw new Error(
        `Redis is not reachable at ${redactPassword(opts.redisUrl, 'the configured REDIS_URL')}: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      clearTimeout(timer);
    }
    await jobs.checkEvictionPolicy();
    return jobs;
  }

  async checkEvictionPolicy(): Promise<string | undefined> {
    try {
      const reply = (await this.queueConnection.config('GET', 'maxmemory-policy')) as string[];
      const policy = reply[1];
      if (policy && policy !== 'noeviction') {
        this.logger.warn(
          { policy },
          `Redis maxmemory-policy is "${policy}"; set it to "noeviction" or BullMQ jobs may be lost`,
        );
      }
      return policy;
    } catch {
      // Managed Redis often forbids CONFIG; nothing to check then.
      return undefined;
    }
  }

  /** The queue `name`, created once per process. */
  queue<T = unknown>(name: string, defaultJobOptions: JobsOptions = {}): Queue<T> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.queueConnection,
        prefix: this.prefix,
        telemetry: this.telemetry,
        defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...this.opts.defaultJobOptions, ...defaultJobOptions },
      });
      queue.on('error', (err: Error) => this.logger.warn({ err: err.message, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue as unknown as Queue<T>;
  }

  /** A worker processing `name`; failures are logged with the job id and retried per the job's options. */
  worker<T = unknown>(
    name: string,
    processor: Processor<T>,
    options: Partial<Omit<WorkerOptions, 'connection' | 'prefix'>> = {},
  ): Worker<T> {
    const worker = new Worker<T>(name, processor, {
      concurrency: 4,
      ...options,
      connection: this.workerConnection,
      prefix: this.prefix,
      telemetry: this.telemetry,
    });
    worker.on('error', (err: Error) => this.logger.warn({ err: err.message, queue: name }, 'worker error'));
    // Zero from the start, so an alert on its increase sees the series before the first failure.
    this.failed?.inc({ queue: name }, 0);
    worker.on('failed', (job, err) => {
      this.logger.warn(
        { err: err.message, queue: name, jobId: job?.id, attempt: job?.attemptsMade },
        'job failed',
      );
      // Counted once per job, when it will not be retried (attempts used up or unrecoverable):
      // a counter keeps rising where the failed-jobs gauge stops at removeOnFail's cap.
      const final = !job || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) this.failed?.inc({ queue: name });
    });
    this.workers.add(worker);
    return worker;
  }

  /**
   * Expiring claims under the namespace (`<namespace>claims:<key>`) on the queues' fail-fast
   * connection: a service's cheap in-flight marks (such as an Idempotency-Key being worked on).
   */
  get claims() {
    const prefix = `${this.opts.namespace}claims:`;
    const conn = this.queueConnection;
    return {
      setOrGet: async (key: string, value: string, ttlMs: number): Promise<string | undefined> => {
        const found = (await conn.call('SET', prefix + key, value, 'PX', ttlMs, 'NX', 'GET')) as
          string | null;
        return found ?? undefined;
      },
      setIfAbsent: async (key: string, ttlMs: number): Promise<boolean> =>
        (await conn.set(prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK',
      remove: async (...keys: string[]): Promise<void> => {
        if (keys.length) await conn.del(...keys.map((k) => prefix + k));
      },
    };
  }

  /** Readiness. */
  async ping(): Promise<void> {
    await this.queueConnection.ping();
  }

  /**
   * Lets active jobs finish for up to `timeoutMs`, then force-closes the workers (their jobs
   * return to the queue once their locks lapse), closes the queues and the connections.
   */
  close(timeoutMs = 5000): Promise<void> {
    this.closed ??= (async () => {
      const workers = [...this.workers];
      // pause() stops fetching and waits for active jobs; close() is left for after the wait,
      // because BullMQ returns the first close()'s promise to a later forced one.
      const drained = Promise.allSettled(workers.map((w) => w.pause()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut)
        this.logger.warn({ timeoutMs }, 'jobs still active at shutdown; closing workers forcibly');
      await Promise.allSettled(workers.map((w) => w.close(timedOut)));
      await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
      this.queueConnection.disconnect();
      this.workerConnection.disconnect();
    })();
    return this.closed;
  }

  private registerMetrics(metrics: Metrics): void {
    const queues = this.queues;
    const existing = metrics.registry.getSingleMetric('midas_jobs_queue_jobs');
    if (existing) metrics.registry.removeSingleMetric('midas_jobs_queue_jobs');
    this.failed =
      (metrics.registry.getSingleMetric('midas_jobs_failed_total') as Counter<'queue'> | undefined) ??
      new Counter({
        name: 'midas_jobs_failed_total',
        help: 'BullMQ jobs that failed for good (retries used up, or unrecoverable), by queue',
        labelNames: ['queue'] as const,
        registers: [metrics.registry],
      });
    new Gauge({
      name: 'midas_jobs_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const [name, queue] of queues) {
          const counts = await queue.getJobCounts(...STATES).catch(() => undefined);
          if (!counts) continue;
          for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
  }
}
