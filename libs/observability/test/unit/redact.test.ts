import { Writable } from 'node:stream';
import { createLogger, redactSecrets } from '../../src';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('test', 'info', stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('hides token query parameters in any field of a line, keeping the rest of the URL', () => {
    const { logger, text } = capture();
    logger.error(
      {
        url: '/v1/bookings/b-1?accessToken=guest-secret-123&limit=5',
        err: new Error('GET /v1/calendar/feeds/i.ics?token=feed-secret-456 failed'),
      },
      'unexpected error at /v1/holds/h?holdToken=hold-secret-789',
    );
    const out = text();
    expect(out).not.toMatch(/guest-secret-123|feed-secret-456|hold-secret-789/);
    expect(out).toContain('accessToken=[redacted]&limit=5');
    expect(out).toContain('token=[redacted]');
  });

  it('hides Authorization headers and provider keys, also inside an error that dumps its request', () => {
    const { logger, text } = capture();
    const sdkError = Object.assign(new Error('Request failed with status 401'), {
      config: { headers: { Authorization: 'Bearer sk_test_abcdefghijklmnop' } },
      request: { headers: { authorization: 'Basic QUJDOkRFRg==' } },
      raw: 'Authorization: Bearer A21AAFakePayPalAccessToken',
    });
    logger.warn({ err: sdkError, headers: { authorization: 'Bearer eyJhbGciOi.x.y' } }, 'provider failed');
    const out = text();
    expect(out).not.toMatch(/abcdefghijklmnop|QUJDOkRFRg|A21AAFakePayPalAccessToken|eyJhbGciOi/);
    expect(out).toContain('provider failed');
  });

  it('hides provider keys whose random part has underscores', () => {
    const out = redactSecrets('Invalid API Key provided: sk_test_midas_fake_key and whsec_abc_defghijk_lmn');
    expect(out).toBe('Invalid API Key provided: sk_test_[redacted] and whsec_[redacted]');
  });

  it('leaves lines without secrets as they were', () => {
    const line = '{"level":"info","msg":"request","route":"/v1/items/:id","status":200}';
    expect(redactSecrets(line)).toBe(line);
  });
});
