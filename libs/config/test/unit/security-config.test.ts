import fc from 'fast-check';
import { ConfigError, parseConfig, parseTrustProxy, weakSecretReason } from '../../src';

const strong = 'q3v9Zk1LwX8pTn2Rb7Ye4Hs6Ju0Mc5Df-GaQ_iWo';
const lineOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return undefined;
  } catch (err) {
    return (err as ConfigError).lines.join('\n');
  }
};

describe('JWT secrets under NODE_ENV=production', () => {
  it('refuses the development default, the compose default, short and repetitive secrets, naming JWT_SECRET', () => {
    for (const secret of [
      'midas-development-secret-do-not-use-in-production',
      'local-compose-only-secret-0123456789abcdef',
      'short-secret',
      'a'.repeat(64),
      'abcabcabcabcabcabcabcabcabcabcabcabc',
    ]) {
      expect(lineOf({ NODE_ENV: 'production', JWT_SECRET: secret })).toMatch(
        /^Invalid configuration: JWT_SECRET: /,
      );
    }
    expect(lineOf({ NODE_ENV: 'production' })).toMatch(/JWT_SECRET/);
  });

  it('accepts a random secret of 32 bytes or more, as hex or base64', () => {
    expect(lineOf({ NODE_ENV: 'production', JWT_SECRET: strong })).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        const b64 = Buffer.from(bytes).toString('base64');
        return weakSecretReason(hex) === undefined && weakSecretReason(b64) === undefined;
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an http: JWKS URL in production but not in development', () => {
    expect(lineOf({ NODE_ENV: 'production', JWT_JWKS_URL: 'http://idp.example/jwks' })).toMatch(
      /JWT_JWKS_URL: must be an https: URL/,
    );
    expect(lineOf({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks' })).toBeUndefined();
    expect(lineOf({ JWT_JWKS_URL: 'http://127.0.0.1:9999/jwks' })).toBeUndefined();
  });

  it('reads JWT_MAX_AGE as seconds, 24h by default, and refuses nonsense', () => {
    expect(parseConfig({}).JWT_MAX_AGE).toBe(86400);
    expect(parseConfig({ JWT_MAX_AGE: '90m' }).JWT_MAX_AGE).toBe(5400);
    expect(lineOf({ JWT_MAX_AGE: 'forever' })).toMatch(/JWT_MAX_AGE/);
    expect(lineOf({ JWT_MAX_AGE: '0s' })).toMatch(/JWT_MAX_AGE/);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts nobody when unset, a hop count, or a list of addresses and CIDRs', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
  });

  it('refuses what is neither', () => {
    for (const bad of ['10.0.0.0/33', 'everyone', '1.2.3', '10.0.0.0/8/1', '99']) {
      expect(lineOf({ TRUST_PROXY: bad })).toMatch(/^Invalid configuration: TRUST_PROXY: /);
    }
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
  });
});

describe('MAX_ACTIVE_HOLDS_PER_HOLDER', () => {
  it('defaults to 5 and takes 0 as off', () => {
    expect(parseConfig({}).MAX_ACTIVE_HOLDS_PER_HOLDER).toBe(5);
    expect(parseConfig({ MAX_ACTIVE_HOLDS_PER_HOLDER: '0' }).MAX_ACTIVE_HOLDS_PER_HOLDER).toBe(0);
    expect(lineOf({ MAX_ACTIVE_HOLDS_PER_HOLDER: '-1' })).toMatch(/MAX_ACTIVE_HOLDS_PER_HOLDER/);
  });
});
