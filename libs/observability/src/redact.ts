/**
 * Secrets that must never reach a log line, wherever they hide in it: token query parameters in
 * URLs (a guest's `?accessToken=`, a feed's `?token=`, a `holdToken`), Authorization header
 * values (Bearer or Basic, also inside an SDK error that dumps its request), and provider keys.
 * Applied to each finished line, so a field nobody thought to redact is covered too.
 */
const SECRET_PARAMS = [
  'accessToken',
  'access_token',
  'token',
  'holdToken',
  'refresh_token',
  'id_token',
  'client_secret',
  'clientSecret',
  'secret',
  'password',
  'api_key',
  'apiKey',
  'key',
  'signature',
  'code',
];

const QUERY_PARAM = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#"'\\s\\\\]*`, 'gi');
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+|%20)[A-Za-z0-9._~+/=-]+/gi;
const AUTH_FIELD =
  /("(?:authorization|proxy-authorization|x-api-key|cookie|set-cookie)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const PROVIDER_KEY = /\b((?:sk|rk|whsec)_(?:live_|test_)?)[A-Za-z0-9_]{8,}/g;

export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  return text
    .replace(QUERY_PARAM, `$1${REDACTED}`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(AUTH_FIELD, `$1"${REDACTED}"`)
    .replace(PROVIDER_KEY, `$1${REDACTED}`);
}

/** A connection URL fit for an error message: its password masked, or `unreadable` when it is not a URL. */
export function redactPassword(url: string, unreadable: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return unreadable;
  }
}
