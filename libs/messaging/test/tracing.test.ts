import { Writable } from 'node:stream';
import { z } from 'zod';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { eventually } from '@midas/testing';
import { createLogger } from '@midas/observability';
import { enqueueEvent, OutboxRelay, type Broker } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('consumer', 'debug', stream), lines };
}

describe('trace context across RabbitMQ', () => {
  let m: MessagingEnv;
  let producer: Broker;
  let consumerBroker: Broker;
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    m = await messagingEnv(['traced']);
    producer = await m.connect('producer');
    consumerBroker = await m.connect('traced', logger);
  });
  afterAll(async () => {
    await m.close();
    await provider.shutdown();
  });

  it("puts the producer's trace id on the consumer's span and log lines", async () => {
    const consumer = await consumerBroker.consume({
      purpose: 'traced',
      pool: m.pool,
      schema: 'traced',
      handlers: {
        'test.traced': {
          schema: z.object({ ok: z.boolean() }),
          handle: () => logger.info('handling the traced event'),
        },
      },
    });
    m.queues.push(consumer.queue);
    const relay = new OutboxRelay({
      pool: m.pool,
      schema: 'traced',
      broker: producer,
      logger: m.logger,
      source: 'producer',
    });
    relay.start();

    const request = trace.getTracer('test').startSpan('POST /v1/things', { kind: SpanKind.SERVER });
    const traceId = request.spanContext().traceId;
    await context.with(trace.setSpan(context.active(), request), () =>
      m.db.transaction((tx) => enqueueEvent(tx, 'traced', { type: 'test.traced', data: { ok: true } })),
    );
    request.end();

    const handled = await eventually(async () => lines.find((l) => l.msg === 'handling the traced event'));
    expect(handled.trace_id).toBe(traceId);
    // The inbox logs 'event handled' after its transaction commits, a moment after the handler ran.
    const done = await eventually(async () => lines.find((l) => l.msg === 'event handled'));
    expect(done.trace_id).toBe(traceId);

    const spans = exporter.getFinishedSpans();
    const publish = spans.find((s) => s.name === 'test.traced publish');
    const processed = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(publish?.spanContext().traceId).toBe(traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(processed?.spanContext().traceId).toBe(traceId);
    expect(processed?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    await relay.stop();
  });

  it('continues the caller trace in an RPC server', async () => {
    const echo = {
      method: 'test.trace-echo',
      request: z.object({}),
      response: z.object({ traceId: z.string() }),
    };
    m.queues.push(consumerBroker.names.rpcQueue(echo.method));
    await consumerBroker.serve(echo, () => ({ traceId: trace.getActiveSpan()?.spanContext().traceId ?? '' }));
    const caller = trace.getTracer('test').startSpan('caller');
    const answer = await context.with(trace.setSpan(context.active(), caller), () => producer.call(echo, {}));
    caller.end();
    expect(answer.traceId).toBe(caller.spanContext().traceId);
  });
});
