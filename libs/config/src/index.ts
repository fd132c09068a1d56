/** The environment every Midas process reads, validated once at start (docs/design.md "The outside promises"; the README lists the variables). */
import { z } from 'zod';
import { weakSecretReason } from './secret-strength';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

export { estimatedEntropyBits, PUBLISHED_JWT_SECRETS, weakSecretReason } from './secret-strength';
export { parseTrustProxy, type TrustProxy } from './trust-proxy';

export const DEV_JWT_SECRET = 'midas-development-secret-do-not-use-in-production';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const urlWithScheme = (schemes: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}` },
    );

/**
 * Reminder offsets such as `24h,4h,1h` or `90m`, largest first. `s` is accepted too, so tests and
 * benchmarks can run the same schedule in seconds; `minutes` may then be fractional.
 */
/** A duration such as `24h`, `90m`, `3600s` or `1d`, in seconds. */
const durationSeconds = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)([smhd])$/.exec(value.trim());
      if (!match || Number(match[1]) === 0) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 24h, 90m or 1d` });
        return z.NEVER;
      }
      return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
    });

const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): TrustProxy => {
    const parsed = parseTrustProxy(value);
    if (typeof parsed === 'object' && !Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  });

/** A comma-separated list, its entries trimmed and empty ones dropped. */
const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );

const reminderOffsets = commaList('24h,4h,1h').transform((parts, ctx) => {
  const offsets: { label: string; minutes: number; seconds: number }[] = [];
  for (const part of parts) {
    const match = /^(\d+)([smhd])$/.exec(part);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not an offset like 24h, 90m or 2d` });
      return z.NEVER;
    }
    const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
    offsets.push({ label: part, minutes: seconds / 60, seconds });
  }
  return offsets.sort((a, b) => b.seconds - a.seconds);
});

/** Comma-separated addresses such as `ops@midas.example, owner@midas.example`; empty: nobody. */
const adminEmails = commaList('').transform((addresses, ctx) => {
  for (const address of addresses) {
    if (!z.email().safeParse(address).success) {
      ctx.addIssue({ code: 'custom', message: `"${address}" is not an email address` });
      return z.NEVER;
    }
  }
  return addresses;
});

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/midas'),
    REDIS_URL: urlWithScheme(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    AMQP_URL: urlWithScheme(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'),
    /** Prefix for Redis keys and RabbitMQ exchange/queue names; lets several stacks share one broker. */
    MIDAS_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9_-]*$/, 'only lower-case letters, digits, _ and -')
      .default(''),
    JWT_SECRET: optionalString,
    JWT_JWKS_URL: optionalString.pipe(z.url().optional()),
    JWT_ISSUER: z.string().default('midas'),
    JWT_AUDIENCE: z.string().default('midas-api'),
    /** Longest lifetime a token may have (exp - iat) and oldest it may be (now - iat), in seconds. */
    JWT_MAX_AGE: durationSeconds('24h'),
    /** How long a consumer remembers a processed event id (its inbox row), in seconds. */
    INBOX_RETENTION: durationSeconds('7d'),
    /** Proxies in front of the gateway whose X-Forwarded-For is believed; unset: none. */
    TRUST_PROXY: trustProxy,
    /** Live holds (unpaid bookings' included) one customer or guest IP may have; 0: no cap. */
    MAX_ACTIVE_HOLDS_PER_HOLDER: nonNegativeInt(5),
    HOLD_TTL_SECONDS: z.coerce.number().int().min(10).max(86400).default(900),
    NO_SHOW_GRACE_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
    REMINDER_OFFSETS: reminderOffsets,
    /** A confirmed booking still without a concierge this many hours before its start is an alert to admins. */
    UNASSIGNED_ALERT_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
    /**
     * Hours before its start at which a booking's security deposit is authorised (Stripe keeps an
     * authorisation about 7 days, PayPal honours one 3 days): at most 144 so the hold outlives the wait.
     */
    DEPOSIT_AUTH_LEAD_HOURS: z.coerce.number().min(0).max(144).default(48),
    /** Attempts of a refund the provider marks failed before it is dead-lettered for staff. */
    REFUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    /** When the daily payment reconciliation runs: a cron pattern, in UTC. */
    RECONCILE_CRON: z
      .string()
      .trim()
      .default('0 4 * * *')
      .refine((v) => v.split(/\s+/).length >= 5 && v.split(/\s+/).length <= 6, {
        message: 'must be a cron pattern such as "0 4 * * *"',
      }),
    /** How far back reconciliation compares the providers' records with the ledger (e.g. 72h, 7d). */
    RECONCILE_WINDOW: durationSeconds('72h'),
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    STRIPE_API_BASE: optionalString.pipe(z.url().optional()),
    /** With both PayPal credentials, PayPal is offered (beside Stripe when its key is set too). */
    PAYPAL_CLIENT_ID: optionalString,
    PAYPAL_CLIENT_SECRET: optionalString,
    /** The id PayPal gave the webhook subscription; its events are verified against it. Unset: the PayPal webhook route refuses every event. */
    PAYPAL_WEBHOOK_ID: optionalString,
    /** PayPal's sandbox unless set; the live API base selects production, any other URL a compatible server. */
    PAYPAL_API_BASE: optionalString.pipe(z.url().optional()),
    /**
     * The `local` provider (anyone holding a booking marks it paid) when neither Stripe nor PayPal
     * is configured. Unset: allowed except under NODE_ENV=production (localPaymentsAllowed).
     */
    ALLOW_LOCAL_PAYMENTS: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
    ),
    GOOGLE_SERVICE_ACCOUNT_EMAIL: optionalString,
    GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: optionalString,
    GOOGLE_CALENDAR_API_BASE: optionalString.pipe(z.url().optional()),
    /** Public https address of POST /v1/calendar/google/notifications; unset: no watch channels, Google changes are not pushed. */
    CALENDAR_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /** Every linked Google calendar is also read incrementally this often, so a lost push costs minutes. */
    CALENDAR_POLL_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
    SMTP_URL: optionalString,
    /** Sender of guest emails. */
    MAIL_FROM: z.string().min(3).default('Midas Concierge <concierge@midas.local>'),
    /** Who receives business alerts (unassigned bookings, failed payments, ...): comma-separated addresses. */
    ADMIN_EMAILS: adminEmails,
    RATE_LIMIT_GUEST_PER_MIN: nonNegativeInt(120),
    RATE_LIMIT_USER_PER_MIN: nonNegativeInt(600),
    RATE_LIMIT_HOLDS_PER_MIN: nonNegativeInt(30),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
    /** Head sampling, read by the OpenTelemetry SDK itself; checked here so a typo stops the start. */
    OTEL_TRACES_SAMPLER: z
      .enum([
        'always_on',
        'always_off',
        'traceidratio',
        'parentbased_always_on',
        'parentbased_always_off',
        'parentbased_traceidratio',
      ])
      .optional(),
    OTEL_TRACES_SAMPLER_ARG: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce.number().min(0).max(1).optional(),
    ),
    /**
     * Read by the tracing set-up itself (before the config): a request the head sampler left out
     * that takes at least this many ms is recorded after the fact, as one ending in a 5xx is; 0: only 5xx.
     */
    MIDAS_TRACE_SLOW_MS: nonNegativeInt(500),
    GATEWAY_PORT: port(8080),
    /** The gateway's internal listener (/metrics, /readyz with detail) for Prometheus; unset: none. */
    GATEWAY_INTERNAL_PORT: optionalString.pipe(
      z.coerce.number<string | undefined>().int().min(0).max(65535).optional(),
    ),
    AVAILABILITY_PORT: port(8081),
    BOOKING_PORT: port(8082),
    PRICING_PORT: port(8083),
    NOTIFICATION_PORT: port(8084),
    CALENDAR_PORT: port(8085),
    /** Where the gateway finds each service; defaults to loopback on the ports above. */
    AVAILABILITY_URL: optionalString,
    BOOKING_URL: optionalString,
    PRICING_URL: optionalString,
    NOTIFICATION_URL: optionalString,
    CALENDAR_URL: optionalString,
    SHUTDOWN_TIMEOUT_MS: nonNegativeInt(8000),
    /** PostgreSQL connections per service process; size it so replicas x services fit max_connections (docs/operations.md). */
    DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
    /** Imported iCalendar feed URLs may be http and point at loopback or private addresses (tests, on-premise channels). */
    ICAL_IMPORT_ALLOW_PRIVATE: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Webhook URLs may be http and point at loopback or private addresses (tests, on-premise receivers). */
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Encrypts webhook signing secrets at rest (at least 32 characters); notification requires it in production. */
    WEBHOOK_SECRET_KEY: optionalString,
    /** How long one webhook delivery attempt may take, connection to response. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** A subscription is disabled after this many failed attempts in a row ... */
    WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(40),
    /** ... spread over at least this many minutes (0: the count alone decides). */
    WEBHOOK_DISABLE_AFTER_MINUTES: nonNegativeInt(24 * 60),
  })
  .superRefine((cfg, ctx) => {
    const production = cfg.NODE_ENV === 'production';
    if (production && !cfg.JWT_JWKS_URL && !cfg.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'must be set to a real secret (or JWT_JWKS_URL used) when NODE_ENV=production',
      });
    }
    const weakness = production && cfg.JWT_SECRET ? weakSecretReason(cfg.JWT_SECRET) : undefined;
    if (weakness) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: `${weakness} (NODE_ENV=production)` });
    }
    if (production && cfg.JWT_JWKS_URL && new URL(cfg.JWT_JWKS_URL).protocol !== 'https:') {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_JWKS_URL'],
        message: 'must be an https: URL when NODE_ENV=production (keys fetched over http can be forged)',
      });
    }
    if (cfg.WEBHOOK_SECRET_KEY && cfg.WEBHOOK_SECRET_KEY.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET_KEY'],
        message: 'must be at least 32 characters',
      });
    }
    if (cfg.JWT_SECRET && cfg.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be at least 32 characters' });
    }
  });

export type Config = z.infer<typeof configSchema> & { jwtSecret: string | undefined };

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment';
      return `Invalid configuration: ${name}: ${issue.message}`;
    });
    throw new ConfigError(lines);
  }
  const cfg = result.data;
  const jwtSecret = cfg.JWT_JWKS_URL ? cfg.JWT_SECRET : (cfg.JWT_SECRET ?? DEV_JWT_SECRET);
  return { ...cfg, jwtSecret };
}

/** For process start: a bad value prints one clear line per variable and exits with status 78 (config). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) process.stderr.write(`${line}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Whether the `local` payment provider may stand in for a real one: ALLOW_LOCAL_PAYMENTS, by default everywhere but production. */
export function localPaymentsAllowed(cfg: Pick<Config, 'NODE_ENV' | 'ALLOW_LOCAL_PAYMENTS'>): boolean {
  return cfg.ALLOW_LOCAL_PAYMENTS === undefined
    ? cfg.NODE_ENV !== 'production'
    : cfg.ALLOW_LOCAL_PAYMENTS === 'true';
}

/**
 * Why booking must not start with these payment settings, in one line; undefined when it may.
 * Without Stripe or PayPal only the `local` provider is left, which lets anyone holding a booking
 * mark it paid: production refuses it unless ALLOW_LOCAL_PAYMENTS=true says it is meant.
 */
export function paymentConfigProblem(
  cfg: Pick<Config, 'NODE_ENV' | 'ALLOW_LOCAL_PAYMENTS' | 'STRIPE_SECRET_KEY' | 'PAYPAL_CLIENT_ID'>,
): string | undefined {
  if (cfg.STRIPE_SECRET_KEY || cfg.PAYPAL_CLIENT_ID || localPaymentsAllowed(cfg)) return undefined;
  return cfg.NODE_ENV === 'production'
    ? 'no payment provider: set STRIPE_SECRET_KEY or PAYPAL_CLIENT_ID (NODE_ENV=production does not take the local provider unless ALLOW_LOCAL_PAYMENTS=true)'
    : 'no payment provider: set STRIPE_SECRET_KEY or PAYPAL_CLIENT_ID, or ALLOW_LOCAL_PAYMENTS=true';
}

export type ServiceName = 'gateway' | 'availability' | 'booking' | 'pricing' | 'notification' | 'calendar';
export const SERVICES: Exclude<ServiceName, 'gateway'>[] = [
  'availability',
  'booking',
  'pricing',
  'notification',
  'calendar',
];

export function servicePort(cfg: Config, name: ServiceName): number {
  const ports: Record<ServiceName, number> = {
    gateway: cfg.GATEWAY_PORT,
    availability: cfg.AVAILABILITY_PORT,
    booking: cfg.BOOKING_PORT,
    pricing: cfg.PRICING_PORT,
    notification: cfg.NOTIFICATION_PORT,
    calendar: cfg.CALENDAR_PORT,
  };
  return ports[name];
}

export function serviceUrl(cfg: Config, name: Exclude<ServiceName, 'gateway'>): string {
  const explicit: Record<typeof name, string | undefined> = {
    availability: cfg.AVAILABILITY_URL,
    booking: cfg.BOOKING_URL,
    pricing: cfg.PRICING_URL,
    notification: cfg.NOTIFICATION_URL,
    calendar: cfg.CALENDAR_URL,
  };
  return explicit[name] ?? `http://127.0.0.1:${servicePort(cfg, name)}`;
}
