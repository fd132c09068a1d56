/**
 * The slice of the Google Calendar v3 API calendar uses, through @googleapis/calendar, authenticated as the
 * service account. Retries are left to the BullMQ jobs, so each call makes one attempt.
 */
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { JWT } from 'google-auth-library';
import type { GoogleEventBody } from '../domain/google-event';
import { GOOGLE_TOKEN_URL } from '../domain/sync-settings';

const SCOPES = ['https://www.googleapis.com/auth/calendar'];

export interface GoogleConnection {
  email: string;
  privateKey: string;
  rootUrl: string;
  tokenUrl: string;
  timeoutMs?: number;
}

export type GoogleEvent = calendar_v3.Schema$Event;

export function googleStatus(err: unknown): number | undefined {
  const e = err as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = e?.response?.status ?? e?.status ?? e?.code;
  return typeof status === 'number' ? status : undefined;
}

export function googleErrorText(err: unknown): string {
  const status = googleStatus(err);
  const message = err instanceof Error ? err.message : String(err);
  return status ? `Google answered ${status}: ${message}` : `Google unreachable: ${message}`;
}

export class GoogleCalendar {
  private readonly api: calendar_v3.Calendar;

  constructor(conn: GoogleConnection) {
    // Node's own fetch: gaxios would otherwise import node-fetch dynamically at the first call.
    const auth = new JWT({
      email: conn.email,
      key: conn.privateKey,
      scopes: SCOPES,
      transporterOptions: { fetchImplementation: fetch },
    });
    if (conn.tokenUrl !== GOOGLE_TOKEN_URL) {
      // The service-account grant posts to Google's fixed token URL through the client's transporter;
      // a compatible server (tests, a proxy) serves it elsewhere.
      auth.transporter.interceptors.request.add({
        resolved: async (opts) => {
          if (String(opts.url) === GOOGLE_TOKEN_URL) opts.url = new URL(conn.tokenUrl);
          return opts;
        },
      });
    }
    this.api = calendar({
      version: 'v3',
      auth,
      rootUrl: conn.rootUrl,
      retry: false,
      fetchImplementation: fetch,
      timeout: conn.timeoutMs ?? 10_000,
    });
  }

  /**
   * Writes our event under its derived id: patched when `written` before (which also brings back
   * one deleted in Google), inserted otherwise or when Google lost it; an insert that finds the id taken (an earlier attempt whose
   * answer was lost) patches instead, so a retry never makes a second event.
   */
  async writeEvent(
    calendarId: string,
    body: GoogleEventBody,
    written: boolean,
  ): Promise<{ id: string; etag: string | null }> {
    const patch = async () => {
      const res = await this.api.events.patch({ calendarId, eventId: body.id, requestBody: body });
      return { id: res.data.id ?? body.id, etag: res.data.etag ?? null };
    };
    if (written) {
      try {
        return await patch();
      } catch (err) {
        const status = googleStatus(err);
        if (status !== 404 && status !== 410) throw err;
      }
    }
    try {
      const res = await this.api.events.insert({ calendarId, requestBody: body });
      return { id: res.data.id ?? body.id, etag: res.data.etag ?? null };
    } catch (err) {
      if (googleStatus(err) === 409) return patch();
      throw err;
    }
  }

  /** Deletes our event; one already gone counts as deleted. */
  async deleteEvent(calendarId: string, eventId: string): Promise<void> {
    try {
      await this.api.events.delete({ calendarId, eventId });
    } catch (err) {
      const status = googleStatus(err);
      if (status !== 404 && status !== 410) throw err;
    }
  }

  /**
   * Every event changed since `syncToken` (all events without one), and the token to continue from.
   * Throws SyncTokenExpired when Google no longer knows the token (a full read is needed).
   */
  async listChanges(
    calendarId: string,
    syncToken: string | null,
  ): Promise<{ events: GoogleEvent[]; nextSyncToken: string | null }> {
    const events: GoogleEvent[] = [];
    let pageToken: string | undefined;
    for (;;) {
      let res;
      try {
        res = await this.api.events.list({
          calendarId,
          singleEvents: true,
          showDeleted: true,
          maxResults: 250,
          ...(syncToken ? { syncToken } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
      } catch (err) {
        if (googleStatus(err) === 410) throw new SyncTokenExpired();
        throw err;
      }
      events.push(...(res.data.items ?? []));
      if (res.data.nextPageToken) {
        pageToken = res.data.nextPageToken;
        continue;
      }
      return { events, nextSyncToken: res.data.nextSyncToken ?? null };
    }
  }

  /** Makes a secondary calendar owned by the service account; returns its id. */
  async createCalendar(summary: string, timeZone: string): Promise<string> {
    const res = await this.api.calendars.insert({ requestBody: { summary, timeZone } });
    if (!res.data.id) throw new Error('Google made a calendar without an id');
    return res.data.id;
  }

  /** Deletes a secondary calendar of ours; one already gone counts as deleted. */
  async deleteCalendar(calendarId: string): Promise<void> {
    try {
      await this.api.calendars.delete({ calendarId });
    } catch (err) {
      const status = googleStatus(err);
      if (status !== 404 && status !== 410) throw err;
    }
  }

  async watch(
    calendarId: string,
    channel: { id: string; token: string; address: string; ttlSeconds: number },
  ): Promise<{ resourceId: string | null; expiresAt: Date | null }> {
    const res = await this.api.events.watch({
      calendarId,
      requestBody: {
        id: channel.id,
        type: 'web_hook',
        address: channel.address,
        token: channel.token,
        params: { ttl: String(channel.ttlSeconds) },
      },
    });
    const expiration = res.data.expiration ? Number(res.data.expiration) : NaN;
    return {
      resourceId: res.data.resourceId ?? null,
      expiresAt: Number.isFinite(expiration) ? new Date(expiration) : null,
    };
  }

  async stopChannel(id: string, resourceId: string): Promise<void> {
    try {
      await this.api.channels.stop({ requestBody: { id, resourceId } });
    } catch (err) {
      if (googleStatus(err) !== 404) throw err;
    }
  }
}

export class SyncTokenExpired extends Error {
  constructor() {
    super('Google no longer accepts the sync token; a full read is needed');
  }
}
