/** Whether Google sync is on, from the GOOGLE_* settings, and where its API and token endpoint are. */
export interface GoogleSettingsInput {
  GOOGLE_SERVICE_ACCOUNT_EMAIL?: string;
  GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY?: string;
  GOOGLE_CALENDAR_API_BASE?: string;
}

export type SyncSettings =
  | { enabled: false; reason: string }
  | { enabled: true; email: string; privateKey: string; rootUrl: string; tokenUrl: string };

export const GOOGLE_ROOT_URL = 'https://www.googleapis.com/';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export function syncSettings(env: GoogleSettingsInput): SyncSettings {
  const missing = (
    [
      'GOOGLE_SERVICE_ACCOUNT_EMAIL',
      'GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY',
      'GOOGLE_CALENDAR_API_BASE',
    ] as const
  ).filter((name) => !env[name]);
  if (missing.length) return { enabled: false, reason: `${missing.join(', ')} not set` };
  const base = new URL(env.GOOGLE_CALENDAR_API_BASE!);
  const rootUrl = base.toString().endsWith('/') ? base.toString() : `${base.toString()}/`;
  // Google itself issues tokens at its OAuth host; a compatible server serves them at <base>/token.
  const isGoogle = base.hostname === 'googleapis.com' || base.hostname.endsWith('.googleapis.com');
  return {
    enabled: true,
    email: env.GOOGLE_SERVICE_ACCOUNT_EMAIL!,
    // Keys pasted into one-line variables carry their newlines as "\n".
    privateKey: env.GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY!.replace(/\\n/g, '\n'),
    rootUrl,
    tokenUrl: isGoogle ? GOOGLE_TOKEN_URL : new URL('token', rootUrl).toString(),
  };
}
