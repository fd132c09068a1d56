/**
 * A calendar service started in-process against the real Postgres, Redis and RabbitMQ, with a
 * stand-in for booking and availability that publishes their events on the broker exactly as the
 * outbox relay does (so the same event can be delivered twice), and an observer collecting
 * `calendar.*` events.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { availabilityEvents, bookingEvents, calendarEvents, type BookingSummary } from '@midas/contracts';
import { createPool, type Pool } from '@midas/db';
import type { Envelope } from '@midas/messaging';
import { startService, type RunningService } from '@midas/runtime';
import {
  bearer,
  brokerScope,
  createTestEnv,
  eventually,
  observeEvents,
  signToken,
  startStandIn,
  type ObservedEvent as Observed,
  type TestEnv,
} from '@midas/testing';
import { defineCalendarService, type CalendarOptions } from '../../src/service';

const published = { ...bookingEvents, ...availabilityEvents };
type PublishedType = keyof typeof published;
export type ObservedEvent = Observed<z.output<(typeof calendarEvents)[keyof typeof calendarEvents]>>;

export interface Harness {
  env: TestEnv;
  service: RunningService;
  base: string;
  pool: Pool;
  admin: string;
  observed: ObservedEvent[];
  publish: <T extends PublishedType>(
    type: T,
    data: z.input<(typeof published)[T]>,
    opts?: { id?: string; occurredAt?: string },
  ) => Promise<Envelope>;
  republish: (envelope: Envelope) => Promise<void>;
  /** Waits until the entry has been projected (optionally at a SEQUENCE). */
  entry: (kind: 'booking' | 'blackout', ref: string, sequence?: number) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}

export async function startHarness(
  overrides: Record<string, string> = {},
  options: CalendarOptions = {},
): Promise<Harness> {
  const env = await createTestEnv(overrides);
  const service = await startService(
    defineCalendarService({ sync: { attempts: 3, backoffMs: 100 }, googleTimeoutMs: 2000, ...options }),
    env.cfg,
    { port: 0 },
  );
  const pool = createPool(env.cfg.DATABASE_URL, { max: 4 });
  const upstream = await startStandIn(brokerScope(env), published, (type) =>
    type.startsWith('booking') ? 'booking' : 'availability',
  );
  const observer = await observeEvents(brokerScope(env), Object.keys(calendarEvents));
  const admin = await signToken({ role: 'admin' });
  const base = `http://127.0.0.1:${service.port}`;

  return {
    env,
    service,
    base,
    pool,
    admin,
    observed: observer.events as ObservedEvent[],
    republish: upstream.republish,
    publish: (type, data, opts) => upstream.publish(type, data, opts),
    entry: (kind, ref, sequence) =>
      eventually(async () => {
        const res = await pool.query('SELECT * FROM calendar.entries WHERE kind = $1 AND ref = $2', [
          kind,
          ref,
        ]);
        const row = res.rows[0] as Record<string, unknown> | undefined;
        return row && (sequence === undefined || row.sequence === sequence) && row;
      }),
    async close() {
      await service.stop();
      // env.cleanup deletes the namespace's queues (consumer, dead-letter) and exchanges.
      await Promise.allSettled([upstream.close(), observer.close()]);
      await pool.end();
      await env.cleanup();
    },
  };
}

/** Calls the service with an admin token unless headers say otherwise. */
export function call(h: Harness, path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token, ...rest } = init;
  const headers: Record<string, string> = {
    ...(token === null ? {} : bearer(token ?? h.admin)),
    ...(rest.body ? { 'content-type': 'application/json' } : {}),
    ...((rest.headers as Record<string, string>) ?? {}),
  };
  return fetch(`${h.base}${path}`, { ...rest, headers });
}

let counter = 0;

/** A booking summary as booking publishes it; each call is a new booking. */
export function bookingSummary(overrides: Partial<BookingSummary> = {}): BookingSummary {
  counter += 1;
  return {
    bookingId: randomUUID(),
    itemId: randomUUID(),
    itemType: 'yacht',
    itemName: `Riva Aquariva ${counter}`,
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    start: '2037-07-01T08:00:00.000Z',
    end: '2037-07-01T16:00:00.000Z',
    status: 'confirmed',
    currency: 'EUR',
    total: 480_000,
    guest: { name: 'Camille Durand', email: `camille${counter}@example.com`, phone: '+33 6 12 34 56 78' },
    customerId: 'cust-1',
    ...overrides,
  };
}
