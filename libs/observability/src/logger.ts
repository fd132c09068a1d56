/** Structured JSON logs (pino), one event a line, carrying the active trace and span ids. */
import pino, { type Logger } from 'pino';
import { trace, isSpanContextValid } from '@opentelemetry/api';
import { redactSecrets } from './redact';

export type { Logger };

/** `destination` defaults to stdout; tests pass a stream to read the lines back. */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'req.headers["proxy-authorization"]',
        'headers["proxy-authorization"]',
        '*.headers.authorization',
        '*.headers.Authorization',
        'config.headers.Authorization',
        '*.holdToken',
        '*.secret',
        '*.password',
        '*.clientSecret',
        '*.accessToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
    // The last guard: token query parameters, Authorization values and provider keys in any
    // field of the finished line (URLs in error messages, SDK errors that dump their request).
    hooks: { streamWrite: redactSecrets },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      if (!isSpanContextValid(ctx)) return {};
      return { trace_id: ctx.traceId, span_id: ctx.spanId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
