/**
 * One reconnecting RabbitMQ connection per process: it re-declares the topology and re-opens
 * every consumer and RPC server after a broker restart or a dropped socket, and no channel error
 * ever escapes as an uncaught exception.
 */
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { eventRoutingKey, Unavailable } from '@midas/contracts';
import { redactPassword, type Logger, type Registry } from '@midas/observability';
import { messagingMetrics, registerQueueDepth, type MessagingMetrics, type QueueDepth } from './metrics';
import { contextFromHeaders, type Envelope, type TraceHeaders } from './envelope';
import { declareExchanges, topologyNames, type Names } from './topology';
import { Consumer, type ConsumerOptions } from './consumer';
import { RpcClient, type CallOptions } from './rpc-client';
import { RpcServer, type RpcDefinition, type RpcHandler } from './rpc-server';
import { describe, type Attachment, type BrokerLink, type OutgoingMessage, type Stoppable } from './link';
import type { z } from 'zod';

export interface BrokerOptions {
  url: string;
  /** MIDAS_NAMESPACE: prefixes every exchange and queue name. */
  namespace: string;
  /** The service this process belongs to; names its queues `<service>.<purpose>`. */
  service: string;
  logger: Logger;
  /** How long `connect` keeps trying before it gives up (start-up fails clearly). */
  connectTimeoutMs?: number;
  heartbeatSeconds?: number;
  /** Counts consumed events by outcome, RPC calls and relayed events in this Prometheus registry. */
  metrics?: { registry: Registry };
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

export class Broker implements BrokerLink {
  readonly names: Names;
  readonly service: string;
  readonly namespace: string;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics | undefined;
  private connection: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  private readonly attachments = new Map<Attachment, Channel | undefined>();
  private readonly waiters = new Set<() => void>();
  private readonly consumers = new Set<Consumer>();
  private readonly servers = new Set<RpcServer>();
  private rpcClient: RpcClient | undefined;
  private closing = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnects = 0;

  private constructor(private readonly opts: BrokerOptions) {
    this.names = topologyNames(opts.namespace);
    this.service = opts.service;
    this.namespace = opts.namespace;
    this.logger = opts.logger.child({ component: 'broker' });
    this.metrics = opts.metrics ? messagingMetrics(opts.metrics.registry) : undefined;
    if (opts.metrics) registerQueueDepth(opts.metrics, () => this.queueDepths());
  }

  /** Connects (retrying until `connectTimeoutMs`), declares the exchanges and opens the publisher. */
  static async connect(opts: BrokerOptions): Promise<Broker> {
    const broker = new Broker(opts);
    const deadline = Date.now() + (opts.connectTimeoutMs ?? 10_000);
    let delay = RECONNECT_MIN_MS;
    for (;;) {
      try {
        await broker.establish();
        return broker;
      } catch (err) {
        if (Date.now() + delay > deadline) {
          throw new Error(
            `RabbitMQ is not reachable at ${redactPassword(opts.url, 'the configured AMQP_URL')}: ${describe(err)}`,
          );
        }
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  get connected(): boolean {
    return this.connection !== undefined && this.publisher !== undefined;
  }

  /** How many times the connection was re-established after a loss. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /** Readiness: a live connection and publisher channel. */
  async ping(): Promise<void> {
    if (this.closing) throw new Error('broker is closing');
    if (!this.connected) throw new Error('not connected to RabbitMQ');
  }

  /** Stops consumers (letting in-flight handlers finish), then closes the connection. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    await Promise.allSettled([...this.consumers].map((c) => c.stop()));
    await Promise.allSettled([...this.servers].map((s) => s.stop()));
    this.rpcClient?.failAll();
    const connection = this.connection;
    this.connection = undefined;
    this.publisher = undefined;
    for (const wake of [...this.waiters]) wake();
    await connection?.close().catch(() => undefined);
  }

  /** Waits for a usable connection until `deadline` (epoch ms); throws Unavailable after it. */
  async ready(deadline: number): Promise<ConfirmChannel> {
    for (;;) {
      if (this.closing) throw new Unavailable('broker_closed', 'the message broker connection is closed');
      if (this.publisher) return this.publisher;
      const left = deadline - Date.now();
      if (left <= 0) throw new Unavailable('broker_unavailable', 'the message broker is not reachable');
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  /**
   * The message carrying an event on the events exchange: routing key = type (with the status
   * reached for a status change, see eventRoutingKey in @midas/contracts), persistent, the
   * envelope as JSON, trace context in the headers. What the outbox relay publishes, and what a
   * stand-in for another service publishes in tests.
   */
  eventMessage(envelope: Envelope, headers: TraceHeaders = {}) {
    return {
      exchange: this.names.events,
      routingKey: eventRoutingKey(envelope.type, envelope.data),
      content: Buffer.from(JSON.stringify(envelope)),
      options: {
        persistent: true,
        messageId: envelope.id,
        type: envelope.type,
        appId: envelope.source,
        contentType: 'application/json',
        timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
        headers,
      } satisfies Options.Publish,
    };
  }

  /**
   * Publishes messages and resolves once the broker confirmed every one (publisher confirms).
   * Rejects if any is nacked or the channel drops first; the caller retries the whole batch.
   */
  async publishConfirmed(messages: OutgoingMessage[], timeoutMs = 10_000): Promise<void> {
    const channel = await this.ready(Date.now() + timeoutMs);
    const confirms: Promise<void>[] = [];
    for (const m of messages) {
      confirms.push(
        new Promise<void>((resolve, reject) => {
          try {
            // Published inside the trace its headers name, so an amqplib auto-instrumentation
            // (which rewrites traceparent from the active context) stays within the same trace.
            const ctx = contextFromHeaders(
              m.options.headers as Record<string, unknown> | undefined,
              ROOT_CONTEXT,
            );
            context.with(ctx, () =>
              channel.publish(m.exchange, m.routingKey, m.content, m.options, (err) =>
                err ? reject(err) : resolve(),
              ),
            );
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        }),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all(confirms),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no publisher confirm within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      // A failed batch may leave rejections nobody awaits any more.
      for (const c of confirms) c.catch(() => undefined);
    }
  }

  /** An inbox consumer on `<namespace><service>.<purpose>`; see Consumer. */
  async consume<S extends Record<string, z.ZodType>>(options: ConsumerOptions<S>): Promise<Consumer> {
    const consumer = new Consumer(this, options as unknown as ConsumerOptions);
    this.consumers.add(consumer);
    await consumer.start();
    return consumer;
  }

  /** Answers one RPC method; several replicas share its queue. */
  async serve<Req extends z.ZodType, Res extends z.ZodType>(
    def: RpcDefinition<Req, Res>,
    handler: RpcHandler<Req, Res>,
    options: { prefetch?: number } = {},
  ): Promise<RpcServer> {
    const server = new RpcServer(
      this,
      def as unknown as RpcDefinition,
      handler as unknown as RpcHandler,
      options.prefetch,
    );
    this.servers.add(server);
    await server.start();
    return server;
  }

  /** Asks a server and waits for its answer until the deadline (Unavailable `rpc_timeout` after). */
  async call<Req extends z.ZodType, Res extends z.ZodType>(
    def: RpcDefinition<Req, Res>,
    request: z.input<Req>,
    options: CallOptions = {},
  ): Promise<z.output<Res>> {
    this.rpcClient ??= new RpcClient(this);
    return this.rpcClient.call(def, request, options);
  }

  /** Opens the attachment's channel now (if connected) and again after every reconnect. */
  async attach(attachment: Attachment): Promise<void> {
    this.attachments.set(attachment, undefined);
    if (this.connection) await this.openAttachment(attachment, this.connection);
  }

  async detach(attachment: Attachment): Promise<void> {
    const channel = this.attachments.get(attachment);
    this.attachments.delete(attachment);
    await channel?.close().catch(() => undefined);
  }

  /**
   * A channel with its error listener attached before first use: amqplib emits a server-closed
   * channel's error as an event, and an unlistened 'error' would take the whole connection down.
   */
  async openChannel(connection: ChannelModel, part: string): Promise<Channel> {
    const channel = await connection.createChannel();
    channel.on('error', (err: unknown) => this.logger.warn({ err: describe(err), part }, 'channel error'));
    return channel;
  }

  /**
   * Ready messages and consumers of this process's consumer queues and their dead-letter queues,
   * read with a passive declare (checkQueue) on a short-lived channel. A queue the broker does not
   * know closes that channel; the next queue gets a new one.
   */
  async queueDepths(): Promise<QueueDepth[]> {
    const connection = this.connection;
    if (!connection || this.closing) return [];
    const queues = [...this.consumers].flatMap((c) => [c.queue, this.names.deadLetterQueue(c.queue)]);
    const depths: QueueDepth[] = [];
    let channel: Channel | undefined;
    for (const queue of new Set(queues)) {
      try {
        channel ??= await this.openChannel(connection, 'queue depth');
        const { messageCount, consumerCount } = await channel.checkQueue(queue);
        depths.push({ queue, ready: messageCount, consumers: consumerCount });
      } catch {
        channel = undefined;
      }
    }
    await channel?.close().catch(() => undefined);
    return depths;
  }

  forget(item: Stoppable): void {
    if (item instanceof Consumer) this.consumers.delete(item);
    else if (item instanceof RpcServer) this.servers.delete(item);
  }

  private async establish(): Promise<void> {
    const url = this.opts.url;
    const connection = await amqp.connect(url, {
      heartbeat: this.opts.heartbeatSeconds ?? 10,
      clientProperties: { connection_name: `${this.namespace}${this.service}` },
      timeout: 5000,
    } as Options.Connect);
    connection.on('error', (err: unknown) =>
      this.logger.warn({ err: describe(err) }, 'RabbitMQ connection error'),
    );
    connection.on('close', () => this.onConnectionLost(connection));
    connection.on('blocked', (reason: unknown) =>
      this.logger.warn({ reason }, 'RabbitMQ blocked publishing'),
    );
    try {
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', (err: unknown) =>
        this.logger.warn({ err: describe(err) }, 'publisher channel error'),
      );
      publisher.on('close', () => this.onPublisherLost(connection, publisher));
      await declareExchanges(publisher, this.names);
      if (this.closing) {
        await connection.close().catch(() => undefined);
        return;
      }
      this.connection = connection;
      this.publisher = publisher;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
    this.reconnectAttempt = 0;
    for (const wake of [...this.waiters]) wake();
    await Promise.all([...this.attachments.keys()].map((a) => this.openAttachment(a, connection)));
  }

  private async openAttachment(attachment: Attachment, connection: ChannelModel, attempt = 0): Promise<void> {
    if (this.closing || this.connection !== connection || !this.attachments.has(attachment)) return;
    try {
      const channel = await attachment.open(connection);
      channel.on('error', (err: unknown) =>
        this.logger.warn({ err: describe(err), part: attachment.name }, 'channel error'),
      );
      channel.on('close', () => {
        attachment.lost?.();
        if (this.attachments.get(attachment) !== channel) return;
        this.attachments.set(attachment, undefined);
        // Closed by the broker while the connection lives on (e.g. a deleted queue): reopen it.
        if (!this.closing && this.connection === connection) {
          setTimeout(
            () => void this.openAttachment(attachment, connection, attempt + 1),
            backoff(attempt),
          ).unref();
        }
      });
      if (!this.attachments.has(attachment) || this.closing) {
        await channel.close().catch(() => undefined);
        return;
      }
      this.attachments.set(attachment, channel);
    } catch (err) {
      this.logger.warn({ err: describe(err), part: attachment.name }, 'could not open channel; retrying');
      if (!this.closing && this.connection === connection) {
        setTimeout(
          () => void this.openAttachment(attachment, connection, attempt + 1),
          backoff(attempt),
        ).unref();
      }
    }
  }

  private onPublisherLost(connection: ChannelModel, publisher: ConfirmChannel): void {
    if (this.publisher !== publisher) return;
    this.publisher = undefined;
    if (this.closing || this.connection !== connection) return;
    // The connection lives on; a fresh confirm channel is all that is needed.
    const reopen = async (attempt: number): Promise<void> => {
      if (this.closing || this.connection !== connection) return;
      try {
        const next = await connection.createConfirmChannel();
        next.on('error', (err: unknown) =>
          this.logger.warn({ err: describe(err) }, 'publisher channel error'),
        );
        next.on('close', () => this.onPublisherLost(connection, next));
        this.publisher = next;
        for (const wake of [...this.waiters]) wake();
      } catch {
        setTimeout(() => void reopen(attempt + 1), backoff(attempt)).unref();
      }
    };
    void reopen(0);
  }

  private onConnectionLost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.publisher = undefined;
    for (const key of this.attachments.keys()) this.attachments.set(key, undefined);
    if (this.closing) return;
    this.logger.warn('RabbitMQ connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = backoff(this.reconnectAttempt++);
    this.reconnectTimer = setTimeout(() => {
      this.establish().then(
        () => {
          this.reconnects += 1;
          this.logger.info({ reconnects: this.reconnects }, 'RabbitMQ connection re-established');
        },
        (err: unknown) => {
          this.logger.warn({ err: describe(err) }, 'RabbitMQ reconnect failed');
          if (!this.closing) this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}

function backoff(attempt: number): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
