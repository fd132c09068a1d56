/**
 * The gateway traces each request itself and forwards its own span as the parent of the
 * service's, without a client span per forwarded request: a real gateway process (built dist,
 * OpenTelemetry SDK running) exporting to a local OTLP/HTTP collector, in front of an upstream
 * that records what it received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { createTestEnv, eventually, type TestEnv } from '@midas/testing';

const ROOT = path.resolve(__dirname, '../../..');
const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

function parseTraceparent(value: string | string[] | undefined) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value));
  if (!match) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
}

describe('trace context through the gateway', () => {
  let env: TestEnv;
  let upstream: Server;
  let received: IncomingHttpHeaders[] = [];
  let collector: Server;
  let spans: {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind: number;
    status?: { code?: number };
    attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  }[] = [];
  const gateways: ChildProcess[] = [];

  /** Starts a gateway process on a free port, read back from its "gateway listening" log line. */
  async function startGateway(extra: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, ['services/gateway/dist/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        REDIS_URL: env.cfg.REDIS_URL,
        MIDAS_NAMESPACE: env.namespace,
        GATEWAY_PORT: '0',
        AVAILABILITY_URL: `http://127.0.0.1:${(upstream.address() as { port: number }).port}`,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    gateways.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const port = await eventually(async () => {
      expect(child.exitCode).toBeNull();
      return /"port":(\d+),"msg":"gateway listening"/.exec(output)?.[1];
      // A loaded machine can take this long to load the SDK and its instrumentations.
    }, 60_000);
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    upstream = createServer((req, res) => {
      received.push(req.headers);
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('itemId=fail')) {
        res.statusCode = 503;
        return res.end('{"title":"down"}');
      }
      res.end('{"available":true,"reasons":[]}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    // OTLP/HTTP with JSON bodies, as @opentelemetry/exporter-trace-otlp-http sends them.
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: (typeof spans)[number][] }[] }[];
        };
        for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  });

  afterAll(async () => {
    for (const child of gateways) child.kill('SIGKILL');
    await new Promise((r) => upstream.close(r));
    await new Promise((r) => collector.close(r));
    await env.cleanup();
  });

  beforeEach(() => {
    received = [];
    spans = [];
  });

  it('continues the client trace with the gateway span as the parent of the service span', async () => {
    const base = await startGateway({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const res = await fetch(`${base}/v1/availability?itemId=x`, {
      headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` },
    });
    expect(res.status).toBe(200);
    const forwarded = parseTraceparent(received[0]!.traceparent);
    expect(forwarded.traceId).toBe(CLIENT_TRACE);
    // A new span in between: the gateway's own, not the client's and not a client span per hop.
    expect(forwarded.parentId).not.toBe(CLIENT_SPAN);
    expect(forwarded.flags).toBe('01');

    // Without a client trace the gateway starts one.
    await fetch(`${base}/v1/availability?itemId=y`);
    const started = parseTraceparent(received[1]!.traceparent);
    expect(started.traceId).not.toBe(CLIENT_TRACE);
    expect(started.traceId).not.toBe('0'.repeat(32));

    // What the gateway exported: one server span per request, which is the parent given to the
    // service, and no client span for the forwarded request.
    // Both requests' server spans, which may come in separate export batches.
    const serverSpanIn = (list: typeof spans, traceId: string) =>
      list.find((s) => s.traceId === traceId && s.kind === 2); // SERVER
    const exported = await eventually(async () => {
      const mine = spans.filter((s) => s.traceId === CLIENT_TRACE || s.traceId === started.traceId);
      return serverSpanIn(mine, CLIENT_TRACE) && serverSpanIn(mine, started.traceId) ? mine : undefined;
    }, 10_000);
    const serverSpan = (traceId: string) => serverSpanIn(exported, traceId);
    const server = serverSpan(CLIENT_TRACE)!;
    expect(server.name).toBe('GET');
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.spanId).toBe(forwarded.parentId);
    expect(serverSpan(started.traceId)!.spanId).toBe(started.parentId);
    // Client spans (kind 3) are the rate limiter's Redis calls only, none for HTTP.
    expect(spans.filter((s) => s.kind === 3 && /^(GET|POST|PUT|PATCH|DELETE)\b/.test(s.name))).toEqual([]);
    expect(spans.filter((s) => s.kind === 3).length).toBeGreaterThan(0);
  });

  it("forwards an unsampled trace with no spans recorded for it, not even the rate limiter's", async () => {
    const base = await startGateway({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    for (const id of ['x', 'y', 'z']) {
      expect((await fetch(`${base}/v1/availability?itemId=${id}`)).status).toBe(200);
    }
    const traceIds = received.map((h) => parseTraceparent(h.traceparent));
    // Each request still gets a trace (so the service does not start its own), marked unsampled.
    expect(traceIds.map((t) => t.flags)).toEqual(['00', '00', '00']);
    expect(new Set(traceIds.map((t) => t.traceId)).size).toBe(3);
    // A sampled client trace is followed whatever the ratio (parent-based).
    await fetch(`${base}/v1/availability?itemId=w`, {
      headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` },
    });
    await eventually(async () => spans.some((s) => s.traceId === CLIENT_TRACE && s.kind === 2), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const unsampled = new Set(traceIds.map((t) => t.traceId));
    expect(spans.filter((s) => unsampled.has(s.traceId))).toEqual([]);
  });

  it('records an unsampled request that ends in a 5xx after the fact, marked, in the client trace', async () => {
    const base = await startGateway({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    const unsampled = { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-00` };
    expect((await fetch(`${base}/v1/availability?itemId=fail`, { headers: unsampled })).status).toBe(503);
    const span = await eventually(
      async () => spans.find((s) => s.traceId === CLIENT_TRACE && s.kind === 2),
      20_000,
    );
    expect(span.parentSpanId).toBe(CLIENT_SPAN);
    expect(span.status?.code).toBe(2); // ERROR
    const attr = (key: string) => span.attributes?.find((a) => a.key === key)?.value;
    expect(attr('midas.trace.recorded_after')?.stringValue).toBe('error');
    expect(Number(attr('http.response.status_code')?.intValue)).toBe(503);
    // The same request answered well records nothing.
    const fine = `00-${'e'.repeat(32)}-${CLIENT_SPAN}-00`;
    expect(
      (await fetch(`${base}/v1/availability?itemId=ok`, { headers: { traceparent: fine } })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(spans.filter((s) => s.traceId === 'e'.repeat(32))).toEqual([]);
  });

  it('passes the client trace on untouched when tracing is off', async () => {
    const base = await startGateway({ OTEL_SDK_DISABLED: 'true' });
    await fetch(`${base}/v1/availability?itemId=x`, {
      headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` },
    });
    expect(received[0]!.traceparent).toBe(`00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`);
  });
});
