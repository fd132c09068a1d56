/** Maps every error that reaches the edge to application/problem+json, hiding internals of the unexpected. */
import type { ErrorRequestHandler, Response } from 'express';
import { isDomainError, type FieldError } from '@midas/contracts';
import type { Logger } from '@midas/observability';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `https://midas.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * No database connection came free within the pool's wait (pg-pool's own message, also when
 * wrapped by drizzle as the cause), or PostgreSQL refused a connection for having too many.
 */
function isDatabaseBusy(err: unknown): boolean {
  for (
    let e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 3;
    depth++
  ) {
    if (e.message === 'timeout exceeded when trying to connect' || e.code === '53300') return true;
    e = e.cause as typeof e;
  }
  return false;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (isDomainError(err)) {
      const extra: Record<string, unknown> = { ...(err.details ?? {}) };
      if ('errors' in err && Array.isArray(err.errors)) extra.errors = err.errors;
      const retryAfter = err.details?.retryAfterSeconds;
      if (err.status === 429 && typeof retryAfter === 'number')
        res.setHeader('Retry-After', String(retryAfter));
      return sendProblem(res, problem(err.status, err.code, err.message, extra));
    }
    const bp = err as BodyParserError;
    if (bp && typeof bp === 'object' && typeof bp.type === 'string') {
      if (bp.type === 'entity.too.large') {
        return sendProblem(res, problem(413, 'payload_too_large', 'The request body is larger than 100 kB'));
      }
      if (bp.type === 'entity.parse.failed') {
        return sendProblem(res, problem(400, 'malformed_json', 'The request body is not valid JSON'));
      }
      if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
        return sendProblem(res, problem(415, 'unsupported_encoding', 'Unsupported body encoding'));
      }
      if (bp.status && bp.status >= 400 && bp.status < 500 && bp.expose) {
        return sendProblem(res, problem(bp.status, 'bad_request', 'The request could not be read'));
      }
    }
    // The router raises this for a path parameter that is not valid percent-encoding.
    if (err instanceof URIError) {
      return sendProblem(
        res,
        problem(400, 'malformed_path', 'The request path is not valid percent-encoding'),
      );
    }
    if (isDatabaseBusy(err)) {
      // Back-pressure, not a fault: every pooled connection stayed busy for the pool's wait.
      logger.warn({ method: req.method, url: req.originalUrl }, 'database busy; answered 503');
      res.setHeader('Retry-After', '1');
      return sendProblem(
        res,
        problem(503, 'database_busy', 'The service is too busy to take this request now; retry shortly', {
          retryAfterSeconds: 1,
        }),
      );
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error');
    return sendProblem(res, problem(500, 'internal', 'Something went wrong on our side; it has been logged'));
  };
}
