/** The one entry point: auth, rate limits, request ids, CORS, aggregated readiness, docs, and routing to services. */
import express, { type Express } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import swaggerUi from 'swagger-ui-express';
import { serviceUrl, servicePort, type Config } from '@midas/config';
import {
  createLogger,
  createMetrics,
  telemetryStarted,
  type Logger,
  type Metrics,
} from '@midas/observability';
import {
  createAuthenticator,
  errorHandler,
  Lifecycle,
  listen,
  problem,
  requireRole,
  sendProblem,
  serverPort,
} from '@midas/http';
import { rateLimits } from './rate-limit';
import { detailedReadiness, publicReadiness, readinessProbe, selfReadiness } from './readiness';
import { authenticateWithThrottle } from './bad-token-throttle';
import { upstreamFor } from './route-table';
import { createProxy } from './proxy';
import { edgeHandler, MAX_BODY_BYTES, requestId } from './edge';
import { requestTracing } from './tracing';
import { buildOpenApiDocument } from './openapi';
import { createQueueBoard, QUEUE_BOARD_PATH } from './queue-board';

export interface RunningGateway {
  port: number;
  /** The internal listener's port, when GATEWAY_INTERNAL_PORT (or opts.internalPort) asked for one. */
  internalPort?: number;
  app: Express;
  lifecycle: Lifecycle;
  logger: Logger;
  metrics: Metrics;
  stop: () => Promise<void>;
}

// eslint-disable-next-line max-lines-per-function -- the order of the express middleware is the gateway's behaviour; it stays one list read top to bottom
export async function startGateway(
  cfg: Config,
  opts: { port?: number; internalPort?: number } = {},
): Promise<RunningGateway> {
  const logger = createLogger('gateway', cfg.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const lifecycle = new Lifecycle(logger, cfg.SHUTDOWN_TIMEOUT_MS);
  const redis = new Redis(cfg.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // Rate-limit checks of concurrent requests go to Redis in one write instead of one each.
    enableAutoPipelining: true,
  });
  redis.on('error', (err) => logger.debug({ err }, 'redis error'));
  await redis
    .connect()
    .catch((err: unknown) =>
      logger.warn({ err }, 'redis not reachable yet; rate limits fall back to memory'),
    );
  lifecycle.onStop('redis', () => redis.quit().catch(() => redis.disconnect()));

  const auth = createAuthenticator({
    jwtSecret: cfg.jwtSecret,
    maxAgeSeconds: cfg.JWT_MAX_AGE,
    jwksUrl: cfg.JWT_JWKS_URL,
    issuer: cfg.JWT_ISSUER,
    audience: cfg.JWT_AUDIENCE,
  });

  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may say who the client is; unset, the peer is the client.
  app.set('trust proxy', cfg.TRUST_PROXY);

  app.use((req, res, next) => {
    const id = requestId(req.headers['x-request-id']);
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    // The route table is read once per request; the proxy and the metrics reuse the answer.
    const upstream = upstreamFor(req.path);
    res.locals.upstream = upstream;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const service = upstream ?? 'gateway';
      metrics.httpDuration.observe(
        { method: req.method, route: service, status: String(res.statusCode) },
        seconds,
      );
    });
    next();
  });
  // One set of security headers; the edge handler sends the same ones (see edge.ts).
  const headerMiddleware = [
    helmet({ contentSecurityPolicy: false }),
    cors({
      exposedHeaders: ['x-request-id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'Location'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'x-request-id', 'traceparent'],
      maxAge: 600,
    }),
  ];
  for (const mw of headerMiddleware) app.use(mw);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  const pingRedis = async () => void (await redis.ping());
  app.get(
    '/readyz/self',
    selfReadiness(pingRedis, () => lifecycle.shuttingDown),
  );
  const probe = readinessProbe(cfg, pingRedis, () => lifecycle.shuttingDown);
  const sendMetrics: express.RequestHandler = async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
  app.get('/readyz', publicReadiness(probe, auth));
  const openApi = buildOpenApiDocument();
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'Midas API' }));

  app.use((req, res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      return sendProblem(res, problem(413, 'payload_too_large', 'The request body is larger than 100 kB'));
    }
    next();
  });
  app.use(
    authenticateWithThrottle(auth, redis, {
      failuresPerMinute: cfg.RATE_LIMIT_GUEST_PER_MIN,
      keyPrefix: `${cfg.MIDAS_NAMESPACE}midas:rl`,
    }),
  );
  // Metrics on the public port only for admins; Prometheus reads them on the internal listener.
  app.get('/metrics', requireRole('admin'), sendMetrics);
  const limits = rateLimits(redis, {
    guestPerMinute: cfg.RATE_LIMIT_GUEST_PER_MIN,
    userPerMinute: cfg.RATE_LIMIT_USER_PER_MIN,
    reservationsPerMinute: cfg.RATE_LIMIT_HOLDS_PER_MIN,
    keyPrefix: `${cfg.MIDAS_NAMESPACE}midas:rl`,
  });
  app.use(limits.middleware);

  const queueBoard = createQueueBoard(cfg, logger);
  lifecycle.onStop('queue-board', queueBoard.close);
  app.use(QUEUE_BOARD_PATH, requireRole('admin'), queueBoard.router);

  const origins = Object.fromEntries(
    (['availability', 'booking', 'pricing', 'notification', 'calendar'] as const).map((name) => [
      name,
      new URL(serviceUrl(cfg, name)).origin,
    ]),
  ) as Record<NonNullable<ReturnType<typeof upstreamFor>>, string>;
  const proxy = createProxy({ logger, timeoutMs: 30_000 });
  lifecycle.onStop('upstream-pools', proxy.close);
  const tracing = requestTracing(telemetryStarted());
  app.use((req, res, next) => {
    const upstream = res.locals.upstream as ReturnType<typeof upstreamFor>;
    if (!upstream) return next();
    proxy.forward(origins[upstream], req, res, {
      url: req.originalUrl,
      ip: req.ip,
      protocol: req.protocol,
      traceHeaders: tracing.traceHeaders(req),
    });
  });
  app.use((req, res) =>
    sendProblem(res, problem(404, 'not_found', `No route for ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(logger));

  const edge = edgeHandler({
    app,
    auth,
    limits,
    proxy,
    origins,
    route: upstreamFor,
    metrics,
    logger,
    tracing,
    headerMiddleware,
  });
  const server = await listen(edge, opts.port ?? servicePort(cfg, 'gateway'), lifecycle);
  const port = serverPort(server);
  logger.info({ port }, 'gateway listening');

  let internalPort: number | undefined;
  const wantedInternal = opts.internalPort ?? cfg.GATEWAY_INTERNAL_PORT;
  if (wantedInternal !== undefined) {
    const internal = express();
    internal.disable('x-powered-by');
    internal.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', service: 'gateway' });
    });
    internal.get('/readyz', detailedReadiness(probe));
    internal.get('/metrics', sendMetrics);
    internal.use((req, res) =>
      sendProblem(res, problem(404, 'not_found', `No route for ${req.method} ${req.path}`)),
    );
    internalPort = serverPort(await listen(internal, wantedInternal, lifecycle));
    logger.info({ port: internalPort }, 'gateway internal listener (metrics, readiness detail)');
  }
  return { port, internalPort, app, lifecycle, logger, metrics, stop: () => lifecycle.stop() };
}
