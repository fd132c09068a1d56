/**
 * Answers one RPC method from its queue on `midas.rpc`. The request is validated (invalid ->
 * ValidationFailed reply); a DomainError thrown by the handler travels back typed.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { DomainError, ValidationFailed } from '@midas/contracts';
import type { Logger } from '@midas/observability';
import { describe, InFlight, setUpChannel, type Attachment, type BrokerLink } from './link';
import { contextFromHeaders } from './envelope';
import { toWireError } from './errors';
import { declareRpcQueue } from './topology';
import { tracer } from './tracer';

export interface RpcDefinition<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  method: string;
  request: Req;
  response: Res;
}

export interface RpcMeta {
  correlationId: string;
  /** Epoch ms after which the caller has given up. */
  deadline: number;
}

export type RpcHandler<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> = (
  request: z.output<Req>,
  meta: RpcMeta,
) => Promise<z.input<Res>> | z.input<Res>;

export type RpcReply = { ok: true; result: unknown } | { ok: false; error: ReturnType<typeof toWireError> };

export const DEADLINE_HEADER = 'x-midas-deadline';

export class RpcServer {
  private readonly attachment: Attachment;
  private readonly inFlight: InFlight;
  private readonly logger: Logger;
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly broker: BrokerLink,
    private readonly def: RpcDefinition,
    private readonly handler: RpcHandler,
    private readonly prefetch = 32,
  ) {
    this.logger = broker.logger.child({ rpc: def.method });
    this.inFlight = new InFlight(this.logger);
    this.attachment = {
      name: `rpc ${def.method}`,
      open: (connection) => this.open(connection),
      lost: () => (this.channel = undefined),
    };
  }

  async start(): Promise<void> {
    await this.broker.attach(this.attachment);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.channel && this.consumerTag)
        await this.channel.cancel(this.consumerTag).catch(() => undefined);
      await this.inFlight.settled();
      await this.broker.detach(this.attachment);
      this.broker.forget(this);
    })();
    return this.stopping;
  }

  private async open(connection: ChannelModel): Promise<Channel> {
    const channel = await this.broker.openChannel(connection, `rpc ${this.def.method}`);
    return setUpChannel(channel, async () => {
      const queue = await declareRpcQueue(channel, this.broker.names, this.def.method);
      await channel.prefetch(this.prefetch);
      const { consumerTag } = await channel.consume(queue, (msg) => {
        if (msg) this.inFlight.track(this.answer(channel, msg));
      });
      this.channel = channel;
      this.consumerTag = consumerTag;
    });
  }

  private async answer(channel: Channel, msg: ConsumeMessage): Promise<void> {
    const { correlationId, replyTo, headers = {} } = msg.properties;
    const deadline = Number(headers[DEADLINE_HEADER] ?? Number.POSITIVE_INFINITY);
    if (!replyTo || !correlationId || Date.now() > deadline) {
      // Nobody is waiting for this answer any more.
      ack(channel, msg);
      return;
    }
    const parent = contextFromHeaders(headers, context.active());
    const span = tracer.startSpan(
      `${this.def.method} server`,
      { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'rabbitmq', 'rpc.method': this.def.method } },
      parent,
    );
    let reply: RpcReply;
    await context.with(trace.setSpan(parent, span), async () => {
      try {
        const request = this.parseRequest(msg.content);
        const result = await this.handler(request, { correlationId: String(correlationId), deadline });
        reply = { ok: true, result };
      } catch (err) {
        if (!(err instanceof DomainError)) {
          this.logger.error({ err }, 'RPC handler failed');
          span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
        }
        span.setAttribute('rpc.error_code', err instanceof DomainError ? err.code : 'internal');
        reply = { ok: false, error: toWireError(err) };
      } finally {
        span.end();
      }
    });
    try {
      // Replies go straight to the caller's direct reply-to pseudo-queue via the default exchange.
      channel.sendToQueue(replyTo as string, Buffer.from(JSON.stringify(reply!)), {
        correlationId,
        contentType: 'application/json',
      });
    } catch (err) {
      this.logger.warn({ err: describe(err) }, 'could not send RPC reply');
    }
    ack(channel, msg);
  }

  private parseRequest(content: Buffer): unknown {
    let raw: unknown;
    try {
      raw = JSON.parse(content.toString('utf8'));
    } catch {
      throw new ValidationFailed('request body is not JSON');
    }
    const parsed = this.def.request.safeParse(raw);
    if (!parsed.success) {
      throw new ValidationFailed(
        `invalid ${this.def.method} request`,
        parsed.error.issues.map((issue) => ({
          field: issue.path.join('.') || '(root)',
          message: issue.message,
        })),
      );
    }
    return parsed.data;
  }
}

function ack(channel: Channel, msg: ConsumeMessage): void {
  try {
    channel.ack(msg);
  } catch {
    // The channel closed; the request is redelivered to another server or expires.
  }
}
