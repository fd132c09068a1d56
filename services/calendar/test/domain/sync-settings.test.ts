import fc from 'fast-check';
import { GOOGLE_TOKEN_URL, syncSettings } from '../../src/domain/sync-settings';

const full = {
  GOOGLE_SERVICE_ACCOUNT_EMAIL: 'sync@p.iam.gserviceaccount.com',
  GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n',
  GOOGLE_CALENDAR_API_BASE: 'http://127.0.0.1:9999',
};

describe('Google sync settings', () => {
  it('is off, naming what is missing, unless all three variables are set', () => {
    const names = Object.keys(full) as (keyof typeof full)[];
    fc.assert(
      fc.property(fc.subarray(names, { minLength: 1 }), (missing) => {
        const env = { ...full };
        for (const name of missing) delete env[name];
        const s = syncSettings(env);
        expect(s.enabled).toBe(false);
        if (!s.enabled)
          expect(s.reason).toBe(`${names.filter((n) => missing.includes(n)).join(', ')} not set`);
      }),
    );
  });

  it('reads a one-line private key and serves tokens from a compatible server at <base>/token', () => {
    const s = syncSettings(full);
    expect(s).toMatchObject({
      enabled: true,
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
      rootUrl: 'http://127.0.0.1:9999/',
      tokenUrl: 'http://127.0.0.1:9999/token',
    });
    expect(syncSettings({ ...full, GOOGLE_CALENDAR_API_BASE: 'https://www.googleapis.com' })).toMatchObject({
      rootUrl: 'https://www.googleapis.com/',
      tokenUrl: GOOGLE_TOKEN_URL,
    });
  });
});
