/**
 * RabbitMQ helpers for tests: removing the queues a test declared, a stand-in for another service
 * that publishes its events exactly as the outbox relay does, and an observer of published events.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { z } from 'zod';
import { Broker, topologyNames, type Envelope } from '@midas/messaging';
import { createLogger } from '@midas/observability';

/** Where a test's broker names live: the AMQP URL and the test's namespace. */
export interface BrokerScope {
  url: string;
  namespace: string;
}

/** The scope of a test env's config. */
export function brokerScope(env: { cfg: { AMQP_URL: string }; namespace: string }): BrokerScope {
  return { url: env.cfg.AMQP_URL, namespace: env.namespace };
}

/**
 * Deletes the named queues; a queue that is already gone is skipped. Each deletion gets its own
 * channel, because a failed one closes the channel it ran on.
 */
export async function deleteQueues(url: string, queues: string[]): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    for (const queue of queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}

/** The queues with their dead-letter queues, as consumers declare them. */
export function withDeadLetters(queues: string[]): string[] {
  const { deadLetterQueue } = topologyNames('');
  return queues.flatMap((q) => [q, deadLetterQueue(q)]);
}

/** A broker connection for a test, logging nowhere. */
export function connectBroker(scope: BrokerScope, service: string): Promise<Broker> {
  return Broker.connect({ ...scope, service, logger: createLogger(service, 'silent') });
}

type Schemas = Record<string, z.ZodType>;

/** Another service as the tests see it: it publishes events on the broker as its outbox relay would. */
export interface StandIn<S extends Schemas> {
  broker: Broker;
  /** Publishes an event, its data checked against the contract, and returns its envelope. */
  publish: <T extends keyof S & string>(
    type: T,
    data: z.input<S[T]>,
    opts?: { id?: string; occurredAt?: string },
  ) => Promise<Envelope>;
  /** Publishes an envelope again, as a redelivery would. */
  republish: (envelope: Envelope) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A stand-in for the services that publish `events`. `source` names the publisher of each type,
 * as the envelope's `source` field.
 */
export async function startStandIn<S extends Schemas>(
  scope: BrokerScope,
  events: S,
  source: (type: keyof S & string) => string,
): Promise<StandIn<S>> {
  const broker = await connectBroker(scope, 'stand-in');
  const republish = (envelope: Envelope) => broker.publishConfirmed([broker.eventMessage(envelope)]);
  return {
    broker,
    republish,
    async publish(type, data, opts = {}) {
      const envelope: Envelope = {
        id: opts.id ?? randomUUID(),
        type,
        version: 1,
        occurredAt: opts.occurredAt ?? new Date().toISOString(),
        source: source(type),
        data: events[type]!.parse(data),
      };
      await republish(envelope);
      return envelope;
    },
    close: () => broker.close(),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Record<string, any>;

/** An event as published, with the moment the observer received it. */
export type ObservedEvent<T = AnyData> = Envelope<T> & { receivedAt: number };

/** Every event of some types published on the namespace's events exchange from its start on. */
export interface EventObserver {
  /** In arrival order. */
  readonly events: ObservedEvent[];
  /** The events of one type whose data has every field of `match`. */
  of: (type: string, match?: Record<string, unknown>) => ObservedEvent[];
  close: () => Promise<void>;
}

/**
 * Binds a private queue to the events exchange for the given types and collects what arrives. The queue is exclusive, so it goes when the observer closes.
 */
export async function observeEvents(scope: BrokerScope, types: string[]): Promise<EventObserver> {
  const connection: ChannelModel = await amqp.connect(scope.url);
  const channel: Channel = await connection.createChannel();
  const exchange = topologyNames(scope.namespace).events;
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  // `<type>.#` matches the type and any key that adds to it (a status change's target status).
  for (const type of types) await channel.bindQueue(queue, exchange, `${type}.#`);
  const events: ObservedEvent[] = [];
  await channel.consume(
    queue,
    (msg) => {
      if (msg)
        events.push({ ...(JSON.parse(msg.content.toString()) as Envelope<AnyData>), receivedAt: Date.now() });
    },
    { noAck: true },
  );
  return {
    events,
    of: (type, match = {}) =>
      events.filter(
        (e) => e.type === type && Object.entries(match).every(([key, value]) => e.data[key] === value),
      ),
    async close() {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
