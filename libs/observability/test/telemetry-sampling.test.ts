import { createServer, type Server } from 'node:http';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { startTelemetry, stopTelemetry } from '../src/telemetry';

let sink: Server;
beforeAll(async () => {
  // Stands in for the collector: takes OTLP/HTTP batches and drops them.
  sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const { port } = sink.address() as { port: number };
  // The SDK reads the sampler from the process environment, as it does in a deployed pod.
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0',
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
  });
  startTelemetry('sampling-test');
});
afterAll(async () => {
  await stopTelemetry();
  await new Promise((r) => sink.close(r));
});

describe('head sampling from the standard variables', () => {
  it('records no new trace at a ratio of 0', () => {
    const tracer = trace.getTracer('test');
    for (let i = 0; i < 50; i++) {
      const span = tracer.startSpan('root');
      expect(span.isRecording()).toBe(false);
      span.end();
    }
  });

  it('still records a request whose caller sampled its trace, and not one whose caller did not', () => {
    const tracer = trace.getTracer('test');
    const parent = (flags: TraceFlags) =>
      trace.setSpanContext(context.active(), {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: flags,
        isRemote: true,
      });
    const sampled = tracer.startSpan('child', {}, parent(TraceFlags.SAMPLED));
    expect(sampled.isRecording()).toBe(true);
    sampled.end();
    const unsampled = tracer.startSpan('child', {}, parent(TraceFlags.NONE));
    expect(unsampled.isRecording()).toBe(false);
    unsampled.end();
  });
});
