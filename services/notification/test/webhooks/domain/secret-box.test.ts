import fc from 'fast-check';
import { SecretBox } from '../../../src/webhooks/domain/secret-box';

describe('signing secrets sealed at rest', () => {
  const box = new SecretBox('k'.repeat(40));

  it('opens what it sealed, and never stores the secret in the clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (secret) => {
        const sealed = box.seal(secret);
        expect(sealed.startsWith('v1.')).toBe(true);
        expect(sealed).not.toContain(secret.length > 3 ? secret : '\u0000never');
        expect(box.open(sealed)).toBe(secret);
      }),
    );
  });

  it('seals the same secret differently each time (fresh IV)', () => {
    expect(box.seal('whsec_abc')).not.toBe(box.seal('whsec_abc'));
  });

  it('refuses a value sealed under another key or altered', () => {
    const sealed = box.seal('whsec_abc');
    expect(() => new SecretBox('x'.repeat(40)).open(sealed)).toThrow();
    const [v, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => box.open('plain')).toThrow(/sealed/);
  });
});
