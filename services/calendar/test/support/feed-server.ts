/**
 * A channel's iCalendar export as a local HTTP server: each path serves a feed (text/calendar, with
 * an ETag and Last-Modified, answering 304 to a matching If-None-Match or If-Modified-Since as
 * Airbnb's and Booking.com's exports do), or a status, a redirect, a slow answer; every request is
 * recorded with its headers.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRoute {
  body?: string;
  status?: number;
  /** Sent as Location with a 302 (or `status` when it is a 3xx). */
  redirect?: string;
  /** Answer conditional requests (default true). */
  conditional?: boolean;
  delayMs?: number;
  contentType?: string;
  lastModified?: string;
}

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  answered: number;
}

export class FeedServer {
  private server: http.Server | undefined;
  private readonly routes = new Map<string, FeedRoute>();
  readonly requests: SeenRequest[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  set(path: string, route: FeedRoute): void {
    this.routes.set(path, route);
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = this.routes.get(path);
    const done = (status: number) => this.requests.push({ path, headers: req.headers, answered: status });
    if (route?.delayMs) await new Promise((r) => setTimeout(r, route.delayMs));
    if (!route) {
      done(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.redirect) {
      const status = route.status && route.status >= 300 && route.status < 400 ? route.status : 302;
      done(status);
      res.writeHead(status, { location: route.redirect }).end();
      return;
    }
    if (route.status && route.status !== 200) {
      done(route.status);
      res.writeHead(route.status, { 'content-type': 'text/plain' }).end('channel error');
      return;
    }
    const body = route.body ?? '';
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const lastModified = route.lastModified ?? 'Tue, 01 Dec 2026 10:00:00 GMT';
    if (route.conditional !== false) {
      const match = req.headers['if-none-match'];
      const since = req.headers['if-modified-since'];
      if ((match && match === etag) || (!match && since && since === lastModified)) {
        done(304);
        res.writeHead(304, { etag, 'last-modified': lastModified }).end();
        return;
      }
    }
    done(200);
    res.writeHead(200, {
      'content-type': route.contentType ?? 'text/calendar; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...(route.conditional === false ? {} : { etag, 'last-modified': lastModified }),
    });
    res.end(body);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Folds and joins iCalendar lines as RFC 5545 writes them. */
export function ics(events: string[][], extra: string[] = []): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Channel//Export//EN',
    'CALSCALE:GREGORIAN',
    ...extra,
  ];
  for (const e of events) lines.push('BEGIN:VEVENT', ...e, 'END:VEVENT');
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

/** An Airbnb-style reservation: all-day, DTEND the checkout date. */
export function airbnbReservation(uid: string, checkIn: string, checkOut: string): string[] {
  return [
    `DTSTAMP:20261201T100000Z`,
    `DTSTART;VALUE=DATE:${checkIn.replace(/-/g, '')}`,
    `DTEND;VALUE=DATE:${checkOut.replace(/-/g, '')}`,
    `UID:${uid}@airbnb.com`,
    'SUMMARY:Reserved',
    'DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMABCDEF\\nPhone Number (Last 4 Digits): 1234',
  ];
}

/** A Booking.com-style closed period: all-day, "CLOSED - Not available". */
export function bookingComClosed(uid: string, from: string, to: string): string[] {
  return [
    `DTSTAMP:20261201T100000Z`,
    `DTSTART;VALUE=DATE:${from.replace(/-/g, '')}`,
    `DTEND;VALUE=DATE:${to.replace(/-/g, '')}`,
    `UID:${uid}`,
    'SUMMARY:CLOSED - Not available',
  ];
}
