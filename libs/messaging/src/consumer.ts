/**
 * An inbox consumer: a durable quorum queue bound to event types on `midas.events`. Each message
 * is validated, then handled in one Postgres transaction that first records its id in the inbox,
 * so a redelivery (after a crash, a lost ack or a replay) has no second effect. With `batch`,
 * deliveries that arrive together share that transaction.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { createDb, type Pool, type Tx } from '@midas/db';
import type { Logger } from '@midas/observability';
import { Batcher, type BatchOptions } from './batch';
import { Inbox, type Delivery, type Recorded } from './inbox';
import { describe, InFlight, setUpChannel, type Attachment, type BrokerLink } from './link';
import { contextFromHeaders, envelopeSchema, type Envelope } from './envelope';
import { declareConsumerQueue } from './topology';
import { tracer } from './tracer';

export interface EventHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  /**
   * The keys the queue binds for this event (default: its type). An event published under a key
   * of its own (a status change, under the status it reached) binds only the keys it acts on;
   * the queue's binding of the bare type, from before, is then removed.
   */
  routingKeys?: readonly string[];
  /**
   * Whether this event needs handling at all, asked before its inbox transaction: false acks it
   * with no transaction (an event nothing here wants costs no commit). A throw counts as a failed
   * attempt, retried like a handler's.
   */
  wants?: (data: z.output<S>, envelope: Envelope<z.output<S>>) => Promise<boolean> | boolean;
  handle: (data: z.output<S>, tx: Tx, envelope: Envelope<z.output<S>>) => Promise<unknown> | unknown;
  /**
   * Runs once the handler's transaction committed, with what `handle` returned: work that must
   * not start before the commit, such as queueing a job that reads the rows just written. It runs
   * again, with `undefined`, for each later delivery of the event (a duplicate), so it must be
   * idempotent and find its work from the rows when given none. A throw fails the attempt: the
   * event comes back as a duplicate, and this runs again.
   */
  afterCommit?: (result: unknown, envelope: Envelope<z.output<S>>) => Promise<void> | void;
}

export interface ConsumerOptions<S extends Record<string, z.ZodType> = Record<string, z.ZodType>> {
  /** Names the queue `<namespace><service>.<purpose>`; one queue per purpose, each gets every event it binds. */
  purpose: string;
  pool: Pool;
  /** The service's Postgres schema holding its `inbox` table. */
  schema: string;
  /** Event type (routing key) -> payload schema and handler. */
  handlers: { [K in keyof S]: EventHandler<S[K]> };
  /** Deliveries before a failing message goes to the dead-letter queue (default 5). */
  maxAttempts?: number;
  /** Messages handled at once (default 16). */
  prefetch?: number;
  /**
   * Only one consumer of the queue, across every replica, receives messages at a time (RabbitMQ's
   * single active consumer); the others stand by and take over when it goes. With `prefetch: 1`
   * this keeps the queue's order end to end, for consumers whose effects must follow it.
   */
  singleActiveConsumer?: boolean;
  /** Backoff between attempts: base * 2^(attempt-1), capped at max, with jitter. */
  retryDelayMs?: { base: number; max: number };
  /**
   * Keys an earlier version of this consumer bound and it no longer wants: a durable queue keeps
   * its bindings across deployments, so they are removed at start (removing one that is not
   * there does nothing).
   */
  retiredRoutingKeys?: readonly string[];
  /**
   * Deliveries arriving close together are recorded and handled in one transaction (each
   * handler in a savepoint of its own, so a failing one is retried alone). Only for handlers
   * whose every effect is in that transaction: the batch commits or fails as a whole.
   */
  batch?: BatchOptions;
}

/** What the queue binds, and what it no longer binds, for these handlers. */
function consumerBindings(opts: Pick<ConsumerOptions, 'handlers' | 'retiredRoutingKeys'>): {
  bind: string[];
  unbind: string[];
} {
  const bind = new Set<string>();
  const unbind = new Set<string>(opts.retiredRoutingKeys ?? []);
  for (const [type, handler] of Object.entries(opts.handlers)) {
    const keys = handler.routingKeys ?? [type];
    for (const key of keys) bind.add(key);
    if (!keys.includes(type)) unbind.add(type);
  }
  for (const key of bind) unbind.delete(key);
  return { bind: [...bind], unbind: [...unbind] };
}

export interface ConsumerStats {
  handled: number;
  duplicates: number;
  /** Acked without a transaction: the handler did not want them. */
  skipped: number;
  retried: number;
  deadLettered: number;
}

export const DEAD_LETTER_REASON = 'x-midas-dead-letter-reason';
export const DEAD_LETTER_ATTEMPTS = 'x-midas-attempts';

class PermanentFailure extends Error {}

type Outcome = 'handled' | 'duplicate' | 'skipped';
const OUTCOME_STATS = { handled: 'handled', duplicate: 'duplicates', skipped: 'skipped' } as const;
const OUTCOME_LOGS = {
  handled: 'event handled',
  duplicate: 'duplicate event skipped',
  skipped: 'event not wanted; acked without a transaction',
} as const;

export class Consumer {
  readonly queue: string;
  readonly stats: ConsumerStats = {
    handled: 0,
    duplicates: 0,
    skipped: 0,
    retried: 0,
    deadLettered: 0,
  };
  private readonly maxAttempts: number;
  private readonly prefetch: number;
  private readonly retry: { base: number; max: number };
  private readonly inbox: Inbox;
  private readonly batcher: Batcher<Delivery, Recorded> | undefined;
  private readonly logger: Logger;
  private readonly inFlight: InFlight;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attachment: Attachment;
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly broker: BrokerLink,
    private readonly opts: ConsumerOptions,
  ) {
    this.queue = broker.names.consumerQueue(broker.service, opts.purpose);
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.prefetch = opts.prefetch ?? 16;
    this.retry = opts.retryDelayMs ?? { base: 500, max: 30_000 };
    this.inbox = new Inbox(createDb(opts.pool, {}), opts.schema, opts.purpose);
    this.batcher = opts.batch && new Batcher(opts.batch, (deliveries) => this.inbox.record(deliveries));
    this.logger = broker.logger.child({ queue: this.queue });
    this.inFlight = new InFlight(this.logger);
    this.attachment = {
      name: this.queue,
      open: (connection) => this.open(connection),
      lost: () => this.onLost(),
    };
  }

  async start(): Promise<void> {
    await this.broker.attach(this.attachment);
  }

  /** Stops taking messages, lets handlers in flight finish, then closes the channel. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const channel = this.channel;
      if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.batcher?.closeOpen();
      await this.inFlight.settled();
      await this.broker.detach(this.attachment);
      this.broker.forget(this);
    })();
    return this.stopping;
  }

  private async open(connection: ChannelModel): Promise<Channel> {
    const channel = await this.broker.openChannel(connection, this.queue);
    return setUpChannel(channel, async () => {
      // Declared on a throwaway channel first: a precondition failure closes the channel it happens on.
      const { bind, unbind } = consumerBindings(this.opts);
      await declareConsumerQueue(channel, this.broker.names, this.queue, this.maxAttempts, bind, {
        singleActiveConsumer: this.opts.singleActiveConsumer ?? false,
        unbind,
      });
      await channel.prefetch(this.prefetch);
      const { consumerTag } = await channel.consume(this.queue, (msg) => {
        if (msg) this.inFlight.track(this.receive(channel, msg));
      });
      this.channel = channel;
      this.consumerTag = consumerTag;
    });
  }

  private onLost(): void {
    this.channel = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async receive(channel: Channel, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const attempt = Number(headers['x-delivery-count'] ?? 0) + 1;
    const parent = contextFromHeaders(headers, context.active());
    const span = tracer.startSpan(
      `${this.queue} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': this.queue,
          'messaging.operation.type': 'process',
          'messaging.message.id': String(msg.properties.messageId ?? ''),
          'messaging.rabbitmq.destination.routing_key': msg.fields.routingKey,
          'messaging.message.delivery_count': attempt,
        },
      },
      parent,
    );
    await context.with(trace.setSpan(parent, span), async () => {
      try {
        const outcome = await this.handle(msg);
        span.setAttribute('midas.inbox.duplicate', outcome === 'duplicate');
        span.setAttribute('midas.inbox.skipped', outcome === 'skipped');
        this.settle(channel, () => channel.ack(msg));
      } catch (err) {
        span.recordException(err instanceof Error ? err : new Error(String(err)));
        span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
        await this.fail(channel, msg, err, attempt);
      } finally {
        span.end();
      }
    });
  }

  private async handle(msg: ConsumeMessage): Promise<Outcome> {
    let raw: unknown;
    try {
      raw = JSON.parse(msg.content.toString('utf8'));
    } catch {
      throw new PermanentFailure('message body is not JSON');
    }
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success) throw new PermanentFailure(`invalid envelope: ${z.prettifyError(parsed.error)}`);
    const envelope = parsed.data as Envelope;
    const handler = this.opts.handlers[envelope.type];
    if (!handler) throw new PermanentFailure(`no handler for event type ${envelope.type}`);
    const data = handler.schema.safeParse(envelope.data);
    if (!data.success)
      throw new PermanentFailure(`invalid ${envelope.type} payload: ${z.prettifyError(data.error)}`);

    const typed = { ...envelope, data: data.data };
    if (handler.wants && !(await handler.wants(data.data, typed))) {
      this.count('skipped', envelope);
      return 'skipped';
    }
    const delivery: Delivery = { handle: handler.handle, envelope: typed, trace: context.active() };
    const outcome = await this.record(delivery);
    this.count(outcome, envelope);
    await handler.afterCommit?.(outcome === 'handled' ? delivery.result : undefined, typed);
    return outcome;
  }

  private async record(delivery: Delivery): Promise<Recorded> {
    if (this.batcher) return this.batcher.add(delivery);
    // Alone, a failing handler rejects the whole transaction: its result is never a rejection.
    const [result] = await this.inbox.record([delivery]);
    if (result?.status !== 'fulfilled') throw result?.reason;
    return result.value;
  }

  private count(outcome: Outcome, envelope: Envelope): void {
    this.broker.metrics?.consumed.inc({ queue: this.queue, outcome });
    this.stats[OUTCOME_STATS[outcome]] += 1;
    this.logger.debug({ eventId: envelope.id, type: envelope.type }, OUTCOME_LOGS[outcome]);
  }

  private async fail(channel: Channel, msg: ConsumeMessage, err: unknown, attempt: number): Promise<void> {
    const permanent = err instanceof PermanentFailure;
    const reason = describe(err);
    if (permanent || attempt >= this.maxAttempts) {
      this.logger.warn({ err: reason, attempt, messageId: msg.properties.messageId }, 'event dead-lettered');
      try {
        await this.deadLetter(
          msg,
          permanent ? reason : `failed after ${attempt} attempts: ${reason}`,
          attempt,
        );
        this.stats.deadLettered += 1;
        this.broker.metrics?.consumed.inc({ queue: this.queue, outcome: 'dead_lettered' });
        this.broker.metrics?.deadLetters.inc({ queue: this.queue });
        this.settle(channel, () => channel.ack(msg));
      } catch (publishErr) {
        // Could not move it aside: leave it to a later delivery (the broker's delivery limit still bounds it).
        this.logger.warn({ err: describe(publishErr) }, 'could not dead-letter; requeueing');
        this.settle(channel, () => channel.nack(msg, false, true));
      }
      return;
    }
    this.stats.retried += 1;
    this.broker.metrics?.consumed.inc({ queue: this.queue, outcome: 'retried' });
    const delay = this.retryDelay(attempt);
    this.logger.info(
      { err: reason, attempt, delayMs: delay, messageId: msg.properties.messageId },
      'event failed; will retry',
    );
    // Holding the message (unacked) for the backoff delays only it: others keep flowing up to `prefetch`.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.settle(channel, () => channel.nack(msg, false, true));
        resolve();
      }, delay);
      this.timers.add(timer);
      if (this.stopping) {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.settle(channel, () => channel.nack(msg, false, true));
        resolve();
      }
    });
  }

  private retryDelay(attempt: number): number {
    const base = Math.min(this.retry.max, this.retry.base * 2 ** (attempt - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  private async deadLetter(msg: ConsumeMessage, reason: string, attempts: number): Promise<void> {
    const { properties } = msg;
    await this.broker.publishConfirmed([
      {
        exchange: this.broker.names.deadLetters,
        routingKey: this.queue,
        content: msg.content,
        options: {
          persistent: true,
          contentType: properties.contentType,
          messageId: properties.messageId,
          type: properties.type,
          appId: properties.appId,
          timestamp: properties.timestamp,
          headers: {
            ...properties.headers,
            [DEAD_LETTER_REASON]: reason.slice(0, 2000),
            [DEAD_LETTER_ATTEMPTS]: attempts,
            'x-midas-original-routing-key': msg.fields.routingKey,
            'x-midas-dead-lettered-at': new Date().toISOString(),
          },
        },
      },
    ]);
  }

  /** Acks on a channel that may have closed meanwhile: the broker then redelivers, and the inbox absorbs it. */
  private settle(channel: Channel, action: () => void): void {
    try {
      action();
    } catch {
      this.logger.debug('channel closed before settling; the message will be redelivered');
    }
  }
}
