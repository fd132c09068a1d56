/** The one entry point: auth, rate limits, request ids, CORS, aggregated readiness, docs, and routing to services. */
import express, { type Express } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { createProxyMiddleware } from 'http-proxy-middleware';
import swaggerUi from 'swagger-ui-express';
import { serviceUrl, servicePort, type Config } from '@midas/config';
import {
  createLogger,
  createMetrics,
  traceContextHeaders,
  type Logger,
  type Metrics,
} from '@midas/observability';
import {
  authenticate,
  createAuthenticator,
  errorHandler,
  Lifecycle,
  listen,
  problem,
  requireRole,
  sendProblem,
  serverPort,
} from '@midas/http';
import { rateLimit } from './rate-limit';
import { aggregatedReadiness, selfReadiness } from './readiness';
import { upstreamFor } from './route-table';
import { buildOpenApiDocument } from './openapi';
import { createQueueBoard, QUEUE_BOARD_PATH } from './queue-board';

export interface RunningGateway {
  port: number;
  app: Express;
  lifecycle: Lifecycle;
  logger: Logger;
  metrics: Metrics;
  stop: () => Promise<void>;
}

const MAX_BODY_BYTES = 100 * 1024;

export async function startGateway(cfg: Config, opts: { port?: number } = {}): Promise<RunningGateway> {
  const logger = createLogger('gateway', cfg.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const lifecycle = new Lifecycle(logger, cfg.SHUTDOWN_TIMEOUT_MS);
  const redis = new Redis(cfg.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
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
    jwksUrl: cfg.JWT_JWKS_URL,
    issuer: cfg.JWT_ISSUER,
    audience: cfg.JWT_AUDIENCE,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const service = upstreamFor(req.path) ?? 'gateway';
      metrics.httpDuration.observe(
        { method: req.method, route: service, status: String(res.statusCode) },
        seconds,
      );
    });
    next();
  });
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(
    cors({
      exposedHeaders: ['x-request-id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'Location'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'x-request-id', 'traceparent'],
      maxAge: 600,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  const pingRedis = async () => void (await redis.ping());
  app.get(
    '/readyz',
    aggregatedReadiness(cfg, pingRedis, () => lifecycle.shuttingDown),
  );
  app.get(
    '/readyz/self',
    selfReadiness(pingRedis, () => lifecycle.shuttingDown),
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
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
  app.use(authenticate(auth));
  app.use(
    rateLimit(redis, {
      guestPerMinute: cfg.RATE_LIMIT_GUEST_PER_MIN,
      userPerMinute: cfg.RATE_LIMIT_USER_PER_MIN,
      reservationsPerMinute: cfg.RATE_LIMIT_HOLDS_PER_MIN,
      keyPrefix: `${cfg.MIDAS_NAMESPACE}midas:rl`,
    }),
  );

  const queueBoard = createQueueBoard(cfg, logger);
  lifecycle.onStop('queue-board', queueBoard.close);
  app.use(QUEUE_BOARD_PATH, requireRole('admin'), queueBoard.router);

  // Without an agent http-proxy opens a new connection per request and sends `Connection: close`;
  // reusing upstream connections is what lets the gateway keep pace with the services.
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  lifecycle.onStop('upstream-agent', () => upstreamAgent.destroy());
  const proxy = createProxyMiddleware<IncomingMessage>({
    agent: upstreamAgent,
    // req.url carries the query string, which must not hide the path from the route table.
    router: (req) => serviceUrl(cfg, upstreamFor((req.url ?? '').split('?')[0]!) ?? 'availability'),
    changeOrigin: false,
    xfwd: true,
    proxyTimeout: 30_000,
    on: {
      proxyReq: (proxyReq: ClientRequest, req: IncomingMessage) => {
        const ip = (req as express.Request).ip;
        if (ip) proxyReq.setHeader('x-forwarded-for', ip);
        // The gateway's request span is the parent of the service's (see telemetry.ts).
        for (const [name, value] of Object.entries(traceContextHeaders())) proxyReq.setHeader(name, value);
      },
      error: (err, _req, res) => {
        logger.warn({ err }, 'upstream error');
        if ('headersSent' in res && !res.headersSent) {
          sendProblem(
            res as express.Response,
            problem(
              502,
              'upstream_unavailable',
              'The service behind this route did not answer; retry shortly',
            ),
          );
        } else if ('destroy' in res) {
          res.destroy();
        }
      },
    },
  });
  app.use((req, res, next) => {
    if (!upstreamFor(req.path)) return next();
    // The proxy needs the full original path; express keeps it in req.url at the root mount.
    return proxy(req, res, next);
  });
  app.use((req, res) =>
    sendProblem(res, problem(404, 'not_found', `No route for ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(logger));

  const server = await listen(app, opts.port ?? servicePort(cfg, 'gateway'), lifecycle);
  const port = serverPort(server);
  logger.info({ port }, 'gateway listening');
  return { port, app, lifecycle, logger, metrics, stop: () => lifecycle.stop() };
}
