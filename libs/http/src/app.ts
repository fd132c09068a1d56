/** The express app every Midas process starts from: security headers, ids, limits, health, metrics, errors. */
import express, { type Express, type Request, type Router } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { serverSpans, type Logger, type Metrics } from '@midas/observability';
import { NotFound } from '@midas/contracts';
import { authenticate, GUEST, type Authenticator } from './auth';
import { trustGatewayHop } from './client-address';
import { errorHandler } from './problem';
import { readinessHandler, type ReadinessCheck } from './health';

export interface AppOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** Verifies bearer tokens; without it every caller is a guest. */
  auth?: Authenticator;
  /** Routes that need the raw body (signed webhooks), mounted before the JSON parser. */
  rawRoutes?: (app: Express) => void;
  routes: (router: Router) => void;
  /** express "trust proxy"; by default the gateway's one hop from the internal network. */
  trustProxy?: boolean | number | string[] | ((address: string, hop: number) => boolean);
  /** Lets shutdown flip readiness to 503 while draining. */
  isShuttingDown?: () => boolean;
}

function routeLabel(req: Request): string {
  const route = req.route as { path?: string } | undefined;
  if (route?.path) return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}

export function createApp(options: AppOptions): Express {
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? trustGatewayHop);
  app.set('query parser', 'simple');

  // First, so that everything after it runs in the request's trace context.
  const span = serverSpans({ name: `midas-${options.service}`, route: (req) => routeLabel(req as Request) });
  app.use((req, res, next) => span(req, res, next));
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    // The response is not bound to the request's trace context (see serverSpans): the log line
    // is written in the context captured here, so it carries the request's trace id.
    const active = context.active();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (
        logger.isLevelEnabled('info') &&
        req.path !== '/healthz' &&
        req.path !== '/readyz' &&
        req.path !== '/metrics'
      ) {
        const fields = {
          requestId: id,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        };
        context.with(active, () => logger.info(fields, 'request'));
      }
    });
    next();
  });
  app.use(helmet());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', readinessHandler(options.readiness, options.isShuttingDown));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  options.rawRoutes?.(app);

  app.use(express.json({ limit: '100kb', type: ['application/json', 'application/*+json'] }));
  if (options.auth) {
    app.use(authenticate(options.auth));
  } else {
    app.use((req, _res, next) => {
      req.principal = GUEST;
      next();
    });
  }

  const router = express.Router();
  options.routes(router);
  app.use(router);

  app.use((req, _res, next) => next(new NotFound('route', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
