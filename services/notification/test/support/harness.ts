/**
 * A notification service started in-process against the real Postgres, Redis and RabbitMQ, with
 * a stand-in for booking that publishes events on the broker exactly as the outbox relay does
 * (so the same event can be delivered twice), and an observer collecting `notification.*` events.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bookingEvents, notificationEvents, type BookingSummary } from '@midas/contracts';
import { createPool, type Pool } from '@midas/db';
import { topologyNames, type Envelope } from '@midas/messaging';
import { startService, type RunningService } from '@midas/runtime';
import {
  brokerScope,
  createTestEnv,
  deleteQueues,
  observeEvents,
  startStandIn,
  withDeadLetters,
  type ObservedEvent as Observed,
  type TestEnv,
} from '@midas/testing';
import { defineNotificationService, type NotificationOptions } from '../../src/service';

type BookingEventType = keyof typeof bookingEvents;
export type ObservedEvent = Observed<
  z.output<(typeof notificationEvents)['notification.sent' | 'notification.failed']>
>;

export interface Harness {
  env: TestEnv;
  service: RunningService;
  pool: Pool;
  /** `notification.sent` and `notification.failed` events seen on the broker, in arrival order. */
  observed: ObservedEvent[];
  /** Publishes a booking event under `id` (a fresh one by default) and returns its envelope. */
  publish: <T extends BookingEventType>(
    type: T,
    data: z.input<(typeof bookingEvents)[T]>,
    id?: string,
  ) => Promise<Envelope>;
  /** Publishes an envelope again, as a redelivery would. */
  republish: (envelope: Envelope) => Promise<void>;
  close: () => Promise<void>;
}

export async function startHarness(
  overrides: Record<string, string>,
  options: NotificationOptions = {},
): Promise<Harness> {
  const env = await createTestEnv(overrides);
  const service = await startService(
    defineNotificationService({
      delivery: { attempts: 3, backoffMs: 100 },
      smtpConnectTimeoutMs: 2000,
      ...options,
    }),
    env.cfg,
    { port: 0 },
  );
  const pool = createPool(env.cfg.DATABASE_URL, { max: 4 });
  const booking = await startStandIn(brokerScope(env), bookingEvents, () => 'booking');
  const observer = await observeEvents(brokerScope(env), ['notification.sent', 'notification.failed']);

  return {
    env,
    service,
    pool,
    observed: observer.events as ObservedEvent[],
    republish: booking.republish,
    publish: (type, data, id = randomUUID()) => booking.publish(type, data, { id }),
    async close() {
      await service.stop();
      await deleteQueues(env.cfg.AMQP_URL, notificationQueues(env.namespace));
      await Promise.allSettled([booking.close(), observer.close()]);
      await pool.end();
      await env.cleanup();
    },
  };
}

/** The queues a running notification service declares, so a test can remove them afterwards. */
export function notificationQueues(namespace: string): string[] {
  return withDeadLetters([topologyNames(namespace).consumerQueue('notification', 'guest-messages')]);
}

let bookingCounter = 0;

/** A booking summary as booking publishes it; each call is a new booking. */
export function bookingSummary(overrides: Partial<BookingSummary> = {}): BookingSummary {
  bookingCounter += 1;
  return {
    bookingId: randomUUID(),
    itemId: randomUUID(),
    itemType: 'yacht',
    itemName: `Riva Aquariva ${bookingCounter}`,
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    start: '2037-07-01T08:00:00.000Z',
    end: '2037-07-01T16:00:00.000Z',
    status: 'confirmed',
    currency: 'EUR',
    total: 480_000,
    guest: { name: 'Camille Durand', email: `camille${bookingCounter}@example.com` },
    ...overrides,
  };
}
