/** Calls RPC methods over direct reply-to (`amq.rabbitmq.reply-to`), one pending promise per correlation id. */
import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { z } from 'zod';
import { Unavailable } from '@midas/contracts';
import { describe, setUpChannel, type Attachment, type BrokerLink } from './link';
import { traceHeaders } from './envelope';
import { fromWireError, RpcRemoteError } from './errors';
import { DEADLINE_HEADER, type RpcDefinition, type RpcReply } from './rpc-server';
import { tracer } from './tracer';

export interface CallOptions {
  /** Deadline for the answer (default 5000 ms); the request also expires in the queue then. */
  timeoutMs?: number;
}

const REPLY_TO = 'amq.rabbitmq.reply-to';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class RpcClient {
  private readonly pending = new Map<string, Pending>();
  private readonly attachment: Attachment;
  private channel: Channel | undefined;
  private attached: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  /** Methods whose `rpc_timeout` series has been created. */
  private readonly counted = new Set<string>();

  constructor(private readonly broker: BrokerLink) {
    this.attachment = {
      name: 'rpc client',
      open: (connection) => this.open(connection),
      lost: () => this.onLost(),
    };
  }

  async call<Req extends z.ZodType, Res extends z.ZodType>(
    def: RpcDefinition<Req, Res>,
    request: z.input<Req>,
    options: CallOptions = {},
  ): Promise<z.output<Res>> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    const span = tracer.startSpan(`${def.method} client`, {
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'rabbitmq', 'rpc.method': def.method },
    });
    const ctx = trace.setSpan(context.active(), span);
    const calls = this.broker.metrics?.rpcCalls;
    if (calls && !this.counted.has(def.method)) {
      // Timeouts start at zero per method, so an alert on their rate sees the series before the first one.
      this.counted.add(def.method);
      calls.inc({ method: def.method, outcome: 'rpc_timeout' }, 0);
    }
    try {
      const reply = await context.with(ctx, () => this.request(def.method, request, deadline, ctx));
      if (!reply.ok) throw fromWireError(reply.error);
      const parsed = def.response.safeParse(reply.result);
      if (!parsed.success)
        throw new RpcRemoteError('invalid_response', `${def.method} answered with an invalid response`);
      calls?.inc({ method: def.method, outcome: 'ok' });
      return parsed.data;
    } catch (err) {
      calls?.inc({ method: def.method, outcome: errorCode(err) });
      span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      throw err;
    } finally {
      span.end();
    }
  }

  /** Rejects every pending call (the broker is closing). */
  failAll(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Unavailable('rpc_timeout', `${p.method}: the broker connection closed before an answer`));
      this.pending.delete(id);
    }
  }

  private async request(
    method: string,
    request: unknown,
    deadline: number,
    ctx: ReturnType<typeof context.active>,
  ): Promise<RpcReply> {
    const timeout = () => new Unavailable('rpc_timeout', `${method} did not answer within the deadline`);
    const channel = await this.replyChannel(deadline).catch(() => {
      throw timeout();
    });
    const correlationId = randomUUID();
    return new Promise<RpcReply>((resolve, reject) => {
      const left = Math.max(1, deadline - Date.now());
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(timeout());
      }, left);
      this.pending.set(correlationId, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        channel.publish(this.broker.names.rpc, method, Buffer.from(JSON.stringify(request)), {
          correlationId,
          replyTo: REPLY_TO,
          contentType: 'application/json',
          // The request is dropped from the queue once nobody waits for its answer.
          expiration: String(left),
          headers: { ...traceHeaders(ctx), [DEADLINE_HEADER]: deadline },
        });
      } catch {
        // The channel dropped between lookup and publish: the call times out like any unanswered one.
      }
    });
  }

  private async replyChannel(deadline: number): Promise<Channel> {
    this.attached ??= this.broker.attach(this.attachment);
    await this.attached;
    for (;;) {
      if (this.channel) return this.channel;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no reply channel');
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 100));
        this.waiters.add(done);
      });
    }
  }

  private async open(connection: ChannelModel): Promise<Channel> {
    const channel = await this.broker.openChannel(connection, 'rpc client');
    return setUpChannel(channel, async () => {
      await channel.consume(REPLY_TO, (msg) => msg && this.onReply(msg), { noAck: true });
      this.channel = channel;
      for (const wake of this.waiters) wake();
    });
  }

  private onLost(): void {
    // Replies to a closed reply-to channel are lost for good; pending calls end at their deadline.
    this.channel = undefined;
  }

  private onReply(msg: ConsumeMessage): void {
    const id = String(msg.properties.correlationId ?? '');
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    try {
      pending.resolve(JSON.parse(msg.content.toString('utf8')) as RpcReply);
    } catch {
      pending.reject(
        new RpcRemoteError('invalid_response', `${pending.method} answered with a body that is not JSON`),
      );
    }
  }
}

/** The outcome label of a failed call: the error's code (rpc_timeout, not_found, ...) or `error`. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : 'error';
}
