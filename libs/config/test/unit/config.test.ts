import { parseConfig, ConfigError, DEV_JWT_SECRET } from '../../src';

describe('configuration', () => {
  it('gives every variable the documented local default', () => {
    const cfg = parseConfig({});
    expect(cfg.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/midas');
    expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(cfg.AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(cfg.HOLD_TTL_SECONDS).toBe(900);
    expect(cfg.NO_SHOW_GRACE_MINUTES).toBe(60);
    expect(cfg.REMINDER_OFFSETS.map((o) => o.minutes)).toEqual([1440, 240, 60]);
    expect(cfg.RATE_LIMIT_GUEST_PER_MIN).toBe(120);
    expect(cfg.RATE_LIMIT_USER_PER_MIN).toBe(600);
    expect([cfg.GATEWAY_PORT, cfg.AVAILABILITY_PORT, cfg.BOOKING_PORT]).toEqual([8080, 8081, 8082]);
    expect([cfg.PRICING_PORT, cfg.NOTIFICATION_PORT, cfg.CALENDAR_PORT]).toEqual([8083, 8084, 8085]);
    expect(cfg.jwtSecret).toBe(DEV_JWT_SECRET);
  });

  it('names each bad variable on its own line', () => {
    try {
      parseConfig({ REDIS_URL: 'http://nope', HOLD_TTL_SECONDS: 'soon', REMINDER_OFFSETS: '24h,often' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).lines;
      expect(lines).toHaveLength(3);
      expect(lines.some((l) => l.startsWith('Invalid configuration: REDIS_URL:'))).toBe(true);
      expect(lines.some((l) => l.startsWith('Invalid configuration: HOLD_TTL_SECONDS:'))).toBe(true);
      expect(lines.some((l) => l.includes('"often" is not an offset'))).toBe(true);
    }
  });

  it('takes an http(s) address for the calendar webhook and nothing else', () => {
    expect(parseConfig({}).CALENDAR_WEBHOOK_URL).toBeUndefined();
    expect(
      parseConfig({ CALENDAR_WEBHOOK_URL: 'https://midas.example/v1/calendar/google/notifications' })
        .CALENDAR_WEBHOOK_URL,
    ).toBe('https://midas.example/v1/calendar/google/notifications');
    expect(() => parseConfig({ CALENDAR_WEBHOOK_URL: 'ftp://midas.example/hook' })).toThrow(
      /CALENDAR_WEBHOOK_URL/,
    );
    expect(() => parseConfig({ CALENDAR_WEBHOOK_URL: 'not a url' })).toThrow(/CALENDAR_WEBHOOK_URL/);
  });

  it('reads every linked calendar every 300 seconds unless told otherwise, and refuses a period that is not a positive whole number', () => {
    expect(parseConfig({}).CALENDAR_POLL_SECONDS).toBe(300);
    expect(parseConfig({ CALENDAR_POLL_SECONDS: '60' }).CALENDAR_POLL_SECONDS).toBe(60);
    for (const bad of ['0', '-5', '1.5', 'often', '86401']) {
      expect(() => parseConfig({ CALENDAR_POLL_SECONDS: bad })).toThrow(/CALENDAR_POLL_SECONDS/);
    }
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    const random = 'Vx3kP9qLm2Tz8Rw5Yb1Nc7Hd4Jf6Gs0Ka';
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: random }).jwtSecret).toBe(random);
    expect(
      parseConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://id.example/jwks' }).jwtSecret,
    ).toBeUndefined();
  });

  it('honours a redis db index and an amqp vhost as given', () => {
    const cfg = parseConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/3',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672/midas',
    });
    expect(new URL(cfg.REDIS_URL).pathname).toBe('/3');
    expect(new URL(cfg.AMQP_URL).pathname).toBe('/midas');
  });

  it('lets 0 turn rate limiting off but refuses negatives', () => {
    expect(parseConfig({ RATE_LIMIT_GUEST_PER_MIN: '0' }).RATE_LIMIT_GUEST_PER_MIN).toBe(0);
    expect(() => parseConfig({ RATE_LIMIT_GUEST_PER_MIN: '-1' })).toThrow(/RATE_LIMIT_GUEST_PER_MIN/);
  });

  it('checks the standard head-sampling variables the tracing SDK reads', () => {
    const cfg = parseConfig({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect([cfg.OTEL_TRACES_SAMPLER, cfg.OTEL_TRACES_SAMPLER_ARG]).toEqual(['parentbased_traceidratio', 0.1]);
    expect(() => parseConfig({ OTEL_TRACES_SAMPLER: 'parentbased_ratio' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => parseConfig({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => parseConfig({ OTEL_TRACES_SAMPLER_ARG: 'half' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(parseConfig({}).MIDAS_TRACE_SLOW_MS).toBe(500);
    expect(parseConfig({ MIDAS_TRACE_SLOW_MS: '2000' }).MIDAS_TRACE_SLOW_MS).toBe(2000);
    expect(() => parseConfig({ MIDAS_TRACE_SLOW_MS: '-1' })).toThrow(/MIDAS_TRACE_SLOW_MS/);
  });

  it('reads INBOX_RETENTION as seconds, 7 days by default, and refuses nonsense', () => {
    expect(parseConfig({}).INBOX_RETENTION).toBe(7 * 86400);
    expect(parseConfig({ INBOX_RETENTION: '36h' }).INBOX_RETENTION).toBe(36 * 3600);
    expect(() => parseConfig({ INBOX_RETENTION: 'a week' })).toThrow(/INBOX_RETENTION/);
  });

  it('reads reminder offsets in seconds as well, largest first, keeping each label', () => {
    const offsets = parseConfig({ REMINDER_OFFSETS: '10s,2m,1h' }).REMINDER_OFFSETS;
    expect(offsets).toEqual([
      { label: '1h', minutes: 60, seconds: 3600 },
      { label: '2m', minutes: 2, seconds: 120 },
      { label: '10s', minutes: 10 / 60, seconds: 10 },
    ]);
    expect(() => parseConfig({ REMINDER_OFFSETS: '10x' })).toThrow(/"10x" is not an offset/);
  });
});
