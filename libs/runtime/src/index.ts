/** Boots one Midas service the same way everywhere: config, logs, metrics, database, HTTP, graceful stop. */
import { loadConfig, servicePort, type Config, type ServiceName } from '@midas/config';
import {
  createLogger,
  createMetrics,
  Gauge,
  scrapedGauge,
  stopTelemetry,
  type Logger,
  type Metrics,
} from '@midas/observability';
import {
  createApp,
  createAuthenticator,
  Lifecycle,
  listen,
  serverPort,
  type ReadinessCheck,
  type Authenticator,
} from '@midas/http';
import { createPool, ensureDatabase, migrateSchema, pingDb, type Pool } from '@midas/db';
import { Broker, migrateMessaging, OutboxRelay } from '@midas/messaging';
import { Jobs } from '@midas/jobs';
import type { Express, Router } from 'express';
import path from 'node:path';

export interface ServiceContext {
  name: ServiceName;
  cfg: Config;
  logger: Logger;
  metrics: Metrics;
  pool: Pool;
  lifecycle: Lifecycle;
  auth: Authenticator;
  /** RabbitMQ: consume events (inbox), serve and call RPC. Publishing goes through `enqueueEvent` (outbox). */
  broker: Broker;
  /** BullMQ queues and workers under this namespace's prefix; closed on stop. */
  jobs: Jobs;
  /** The relay publishing this service's outbox, started for every service. */
  relay: OutboxRelay;
}

export interface ServiceParts {
  routes: (router: Router) => void;
  rawRoutes?: (app: Express) => void;
  readiness?: Record<string, ReadinessCheck>;
}

export interface ServiceDefinition {
  name: Exclude<ServiceName, 'gateway'>;
  /** The Postgres schema this service owns. */
  schema: string;
  migrationsFolder: string;
  /** Builds the service's parts; register anything to close with ctx.lifecycle.onStop. */
  setup: (ctx: ServiceContext) => Promise<ServiceParts>;
  /** Inserts demo data when this service's tables are empty; returns whether it did. */
  seed?: (pool: Pool) => Promise<boolean>;
}

/**
 * The definition of a service laid out like every Midas service: its Postgres schema carries its
 * name and its migrations sit in src/db/migrations. `dir` is the defining module's __dirname, which
 * is src/ when run from source and dist/ when built; the migrations are read from src/ in both.
 */
export function defineService(
  dir: string,
  name: ServiceDefinition['name'],
  parts: Pick<ServiceDefinition, 'setup' | 'seed'>,
): ServiceDefinition {
  return { name, schema: name, migrationsFolder: path.resolve(dir, '../src/db/migrations'), ...parts };
}

export interface RunningService {
  port: number;
  ctx: ServiceContext;
  app: Express;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** Overrides the configured port; 0 picks a free one (tests). */
  port?: number;
  /** Skips migrations (when a migrations job already ran them). */
  migrate?: boolean;
  /** Where log lines go instead of stdout (tests read them back); redaction applies the same. */
  logDestination?: Parameters<typeof createLogger>[2];
}

export function buildAuthenticator(cfg: Config): Authenticator {
  return createAuthenticator({
    jwtSecret: cfg.jwtSecret,
    maxAgeSeconds: cfg.JWT_MAX_AGE,
    jwksUrl: cfg.JWT_JWKS_URL,
    issuer: cfg.JWT_ISSUER,
    audience: cfg.JWT_AUDIENCE,
  });
}

export async function migrateService(def: ServiceDefinition, cfg: Config): Promise<void> {
  await ensureDatabase(cfg.DATABASE_URL);
  const pool = createPool(cfg.DATABASE_URL, { max: 1, application_name: `midas-${def.name}-migrate` });
  try {
    await migrateSchema(pool, def.schema, def.migrationsFolder);
    // The outbox and inbox tables live in the service's own schema.
    await migrateMessaging(pool, def.schema);
  } finally {
    await pool.end();
  }
}

export async function seedService(def: ServiceDefinition, cfg: Config): Promise<boolean> {
  if (!def.seed) return false;
  const pool = createPool(cfg.DATABASE_URL, { max: 2, application_name: `midas-${def.name}-seed` });
  try {
    return await def.seed(pool);
  } finally {
    await pool.end();
  }
}

/** `midas_outbox_pending`: events written but not yet published, read at scrape time. */
function registerOutboxBacklog(metrics: Metrics, pool: Pool, schema: string): void {
  scrapedGauge(metrics, {
    name: 'midas_outbox_pending',
    help: 'Outbox events written but not yet confirmed by the broker',
    read: async () => {
      const res = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".outbox WHERE sent_at IS NULL`,
      );
      return Number(res.rows[0]?.n ?? 0);
    },
  });
}

/**
 * `midas_db_pool_connections{state}` (total, idle, waiting) and `midas_db_pool_max`: how full this
 * process's PostgreSQL pool is. Requests waiting for a connection mean DB_POOL_MAX is too small for
 * the load, or queries hold connections too long.
 */
function registerPoolGauges(metrics: Metrics, pool: Pool, max: number): void {
  new Gauge({
    name: 'midas_db_pool_connections',
    help: 'PostgreSQL pool clients: total open, idle, and queries waiting for a client',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'midas_db_pool_max',
    help: 'Largest number of PostgreSQL connections this process may open (DB_POOL_MAX)',
    registers: [metrics.registry],
  }).set(max);
}

/** The relay of the service's outbox, which also purges its inbox past INBOX_RETENTION. */
function outboxRelay(
  def: ServiceDefinition,
  cfg: Config,
  pool: ReturnType<typeof createPool>,
  broker: Broker,
  logger: ReturnType<typeof createLogger>,
): OutboxRelay {
  const inboxRetentionMs = cfg.INBOX_RETENTION * 1000;
  return new OutboxRelay({ pool, schema: def.schema, broker, logger, source: def.name, inboxRetentionMs });
}

export async function startService(
  def: ServiceDefinition,
  cfg: Config,
  opts: StartOptions = {},
): Promise<RunningService> {
  const logger = createLogger(def.name, cfg.LOG_LEVEL, opts.logDestination);
  const metrics = createMetrics(def.name);
  const lifecycle = new Lifecycle(logger, cfg.SHUTDOWN_TIMEOUT_MS);
  if (opts.migrate ?? process.env.MIDAS_SKIP_MIGRATIONS !== 'true') await migrateService(def, cfg);
  const pool = createPool(cfg.DATABASE_URL, { max: cfg.DB_POOL_MAX, application_name: `midas-${def.name}` });
  lifecycle.onStop('postgres', () => pool.end());
  registerPoolGauges(metrics, pool, cfg.DB_POOL_MAX);
  let ctx: ServiceContext;
  try {
    // Closed in reverse order: job workers first (they may still call RPC), then the relay, then
    // consumers and the connection (handlers that add jobs then fail and are redelivered later), then Postgres.
    const broker = await Broker.connect({
      url: cfg.AMQP_URL,
      namespace: cfg.MIDAS_NAMESPACE,
      service: def.name,
      logger,
      metrics,
    });
    lifecycle.onStop('rabbitmq', () => broker.close());
    const relay = outboxRelay(def, cfg, pool, broker, logger);
    relay.start();
    lifecycle.onStop('outbox-relay', () => relay.stop());
    registerOutboxBacklog(metrics, pool, def.schema);
    const jobs = await Jobs.create({
      redisUrl: cfg.REDIS_URL,
      namespace: cfg.MIDAS_NAMESPACE,
      logger,
      metrics,
    });
    lifecycle.onStop('jobs', () => jobs.close(Math.max(500, cfg.SHUTDOWN_TIMEOUT_MS / 2)));
    ctx = {
      name: def.name,
      cfg,
      logger,
      metrics,
      pool,
      lifecycle,
      auth: buildAuthenticator(cfg),
      broker,
      jobs,
      relay,
    };
  } catch (err) {
    await lifecycle.stop();
    throw err;
  }
  try {
    const parts = await def.setup(ctx);
    const app = createApp({
      service: def.name,
      logger,
      metrics,
      auth: ctx.auth,
      readiness: {
        postgres: () => pingDb(pool),
        rabbitmq: () => ctx.broker.ping(),
        redis: () => ctx.jobs.ping(),
        ...parts.readiness,
      },
      routes: parts.routes,
      rawRoutes: parts.rawRoutes,
      isShuttingDown: () => lifecycle.shuttingDown,
    });
    const server = await listen(app, opts.port ?? servicePort(cfg, def.name), lifecycle);
    const port = serverPort(server);
    logger.info({ port }, `${def.name} listening`);
    return { port, ctx, app, stop: () => lifecycle.stop() };
  } catch (err) {
    await lifecycle.stop();
    throw err;
  }
}

/** The whole of a service's main(): start, handle signals, exit non-zero with one clear line on failure. */
export function runMain(def: ServiceDefinition): void {
  const cfg = loadConfig();
  startService(def, cfg).then(
    (running) => {
      running.ctx.lifecycle.onStop('telemetry', stopTelemetry);
      running.ctx.lifecycle.handleSignals();
    },
    (err: unknown) => {
      process.stderr.write(
        `${def.name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
