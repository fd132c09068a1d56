import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { newSigningSecret, sign, signatureHeader } from '../../../src/webhooks/domain/signature';

describe('Standard Webhooks signatures', () => {
  it("matches the specification's published example", () => {
    // The example of the Standard Webhooks specification (secret, id, timestamp, body -> signature).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(a);
  });

  it('signs with each secret, space-separated, each an HMAC of id.timestamp.body under the decoded key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 24, maxLength: 64 }), { minLength: 1, maxLength: 3 }),
        fc.uuid(),
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.string(),
        (keys, id, ts, body) => {
          const secrets = keys.map((k) => `whsec_${Buffer.from(k).toString('base64')}`);
          const parts = signatureHeader(secrets, id, ts, body).split(' ');
          expect(parts).toHaveLength(keys.length);
          parts.forEach((part, i) => {
            const mac = createHmac('sha256', Buffer.from(keys[i]!))
              .update(`${id}.${ts}.${body}`)
              .digest('base64');
            expect(part).toBe(`v1,${mac}`);
          });
        },
      ),
    );
  });

  it('refuses a secret without the whsec_ prefix', () => {
    expect(() => sign('c2VjcmV0', 'id', 1, '{}')).toThrow(/whsec_/);
  });
});
