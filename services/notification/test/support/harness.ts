/**
 * A notification service started in-process against the real Postgres, Redis and RabbitMQ, with
 * a stand-in for booking that publishes events on the broker exactly as the outbox relay does
 * (so the same event can be delivered twice), and an observer collecting `notification.*` events.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bookingEvents, notificationEvents, type BookingSummary } from '@midas/contracts';
import { createPool, type Pool } from '@midas/db';
import { Broker, migrateMessaging, topologyNames, type Envelope } from '@midas/messaging';
import { createLogger } from '@midas/observability';
import { startService, type RunningService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { defineNotificationService, type NotificationOptions } from '../../src/service';

type BookingEventType = keyof typeof bookingEvents;
export type ObservedEvent = Envelope<
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
  await migrateMessaging(pool, 'observer');
  const logger = createLogger('test', 'silent');
  const booking = await Broker.connect({
    url: env.cfg.AMQP_URL,
    namespace: env.namespace,
    service: 'booking-stand-in',
    logger,
  });
  const observer = await Broker.connect({
    url: env.cfg.AMQP_URL,
    namespace: env.namespace,
    service: 'observer',
    logger,
  });
  const observed: ObservedEvent[] = [];
  const collect = (data: unknown, _tx: unknown, envelope: Envelope) =>
    void observed.push({ ...envelope, data } as ObservedEvent);
  const consumer = await observer.consume({
    purpose: 'notifications',
    pool,
    schema: 'observer',
    handlers: {
      'notification.sent': { schema: notificationEvents['notification.sent'], handle: collect },
      'notification.failed': { schema: notificationEvents['notification.failed'], handle: collect },
    },
  });
  const names = topologyNames(env.namespace);

  const republish = (envelope: Envelope) => booking.publishConfirmed([booking.eventMessage(envelope)]);

  return {
    env,
    service,
    pool,
    observed,
    republish,
    async publish(type, data, id = randomUUID()) {
      const envelope: Envelope = {
        id,
        type,
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'booking',
        data: bookingEvents[type].parse(data),
      };
      await republish(envelope);
      return envelope;
    },
    async close() {
      await service.stop();
      await consumer.stop();
      await deleteQueues(env, [
        names.consumerQueue('notification', 'guest-messages'),
        names.consumerQueue('observer', 'notifications'),
      ]);
      await Promise.allSettled([booking.close(), observer.close()]);
      await pool.end();
      await env.cleanup();
    },
  };
}

async function deleteQueues(env: TestEnv, queues: string[]): Promise<void> {
  const amqp = await import('amqplib');
  const connection = await amqp.connect(env.cfg.AMQP_URL);
  try {
    for (const queue of queues.flatMap((q) => [q, `${q}.dlq`])) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
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
