/**
 * A service's own server span (serverSpans in createApp): the sampler decides first, an unsampled
 * request records nothing but still hands its trace context to the next hop, a sampled one records
 * the span with its route and status, and an unsampled request that fails or is slow is recorded
 * after the fact. The app runs in a process of its own with the SDK reading the standard variables
 * (the built libraries, as a service runs them), exporting over OTLP/HTTP to a local collector
 * stand-in; the next hop is a local server it reaches through fetch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { eventually } from '@midas/testing';

const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number };
  attributes: { key: string; value: OtlpValue }[];
}

function attr(span: OtlpSpan, key: string): string | number | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  return v.stringValue ?? Number(v.intValue);
}

function traceparent(flags: '00' | '01', traceId = CLIENT_TRACE) {
  return { traceparent: `00-${traceId}-${CLIENT_SPAN}-${flags}` };
}

function parseTraceparent(value: string | string[] | undefined) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value));
  if (!match) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
}

/** A request with exactly the headers given, and its JSON answer. */
function call(
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method: data ? 'POST' : 'GET',
        headers: data ? { ...headers, 'content-type': 'application/json' } : headers,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('server spans made after the sampler decides', () => {
  let spans: OtlpSpan[] = [];
  let received: IncomingHttpHeaders[] = [];
  const collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  const nextHop = createServer((req, res) => {
    received.push(req.headers);
    res.end('ok');
  });
  let service: ChildProcess | undefined;
  let base: string;
  let output = '';

  /** The request log lines the app has written so far. */
  function requestLines(): { msg: string; route: string; trace_id?: string }[] {
    return output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; route: string; trace_id?: string })
      .filter((line) => line.msg === 'request');
  }

  beforeAll(async () => {
    const collectorUrl = await listen(collector);
    const nextHopUrl = await listen(nextHop);
    // Its own process: the OTLP exporter cannot run inside jest's module sandbox.
    service = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'tracing', 'traced-app.ts')], {
      env: {
        ...process.env,
        NEXT_HOP_URL: nextHopUrl,
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        // A new trace is never sampled: only a caller's sampled flag records one.
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
        MIDAS_TRACE_SLOW_MS: '300',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const port = await eventually(async () => {
      expect(service!.exitCode).toBeNull();
      return /port (\d+)/.exec(output)?.[1];
      // A loaded machine can take this long to load the SDK and its instrumentations.
    }, 60_000);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    service?.kill('SIGKILL');
    for (const s of [collector, nextHop]) await new Promise((r) => s.close(r));
  });

  beforeEach(() => {
    spans = [];
    received = [];
  });

  const post = (headers: Record<string, string>) => call(`${base}/v1/things/abc`, headers, { n: 1 });

  /** Waits for a sampled request's spans, which are exported after anything recorded before it. */
  async function sampledMarker(): Promise<OtlpSpan> {
    const traceId = 'f'.repeat(31) + '1';
    const res = await call(`${base}/v1/fast`, traceparent('01', traceId));
    expect(res.status).toBe(200);
    return eventually(async () => spans.find((s) => s.traceId === traceId && s.kind === 2));
  }

  it('records the server span of a sampled request with its route and status, and hands it on', async () => {
    const res = await post(traceparent('01'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 'abc', body: { n: 1 } });
    const server = await eventually(async () =>
      spans.find((s) => s.traceId === CLIENT_TRACE && s.kind === 2),
    );
    expect(server.name).toBe('POST /v1/things/:id');
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(attr(server, 'http.route')).toBe('/v1/things/:id');
    expect(attr(server, 'http.response.status_code')).toBe(200);
    expect(attr(server, 'url.path')).toBe('/v1/things/abc');
    expect(attr(server, 'midas.trace.recorded_after')).toBeUndefined();

    // The next hop gets the same trace, sampled, under the fetch's client span, a child of ours.
    const forwarded = parseTraceparent(received[0]!.traceparent);
    expect(forwarded.traceId).toBe(CLIENT_TRACE);
    expect(forwarded.flags).toBe('01');
    const client = await eventually(async () => spans.find((s) => s.spanId === forwarded.parentId));
    expect(client.kind).toBe(3); // CLIENT
    expect(client.parentSpanId).toBe(server.spanId);
  });

  it('records nothing for an unsampled request but passes its unsampled trace to the next hop', async () => {
    const res = await post(traceparent('00'));
    expect(res.status).toBe(200);
    const forwarded = parseTraceparent(received[0]!.traceparent);
    expect(forwarded.traceId).toBe(CLIENT_TRACE);
    expect(forwarded.flags).toBe('00');
    expect(forwarded.parentId).not.toBe(CLIENT_SPAN);

    // A new trace at a ratio of 0 is not recorded either, and is still passed on.
    const fresh = await post({});
    expect(fresh.status).toBe(200);
    const started = parseTraceparent(received[1]!.traceparent);
    expect(started.traceId).not.toBe(CLIENT_TRACE);
    expect(started.flags).toBe('00');

    await sampledMarker();
    expect(spans.filter((s) => s.traceId === CLIENT_TRACE || s.traceId === started.traceId)).toEqual([]);
  });

  it('keeps a request without a body in its trace, sampled or not: the next hop and the request log line carry it', async () => {
    for (const [flags, traceId] of [
      ['01', 'a'.repeat(32)],
      ['00', 'b'.repeat(32)],
    ] as const) {
      const res = await call(`${base}/v1/relay`, traceparent(flags, traceId));
      expect(res.status).toBe(200);
      const forwarded = parseTraceparent(received.at(-1)!.traceparent);
      expect(forwarded).toMatchObject({ traceId, flags });
      const line = await eventually(async () =>
        requestLines().find((l) => l.route === '/v1/relay' && l.trace_id === traceId),
      );
      expect(line).toBeDefined();
    }
  });

  it('records an unsampled request that ends in a 5xx after the fact, marked, in the caller trace', async () => {
    const before = Date.now();
    const res = await call(`${base}/v1/fail`, traceparent('00'));
    expect(res.status).toBe(500);
    const span = await eventually(async () => spans.find((s) => s.traceId === CLIENT_TRACE));
    expect(span.kind).toBe(2);
    expect(span.name).toBe('GET /v1/fail');
    expect(span.parentSpanId).toBe(CLIENT_SPAN);
    expect(span.status?.code).toBe(2); // ERROR
    expect(attr(span, 'midas.trace.recorded_after')).toBe('error');
    expect(attr(span, 'http.response.status_code')).toBe(500);
    expect(Number(BigInt(span.startTimeUnixNano) / 1_000_000n)).toBeGreaterThanOrEqual(before - 1);
  });

  it('records an unsampled request slower than MIDAS_TRACE_SLOW_MS with its real start and end', async () => {
    const res = await call(`${base}/v1/slow`, traceparent('00'));
    expect(res.status).toBe(200);
    const span = await eventually(async () => spans.find((s) => s.traceId === CLIENT_TRACE));
    expect(attr(span, 'midas.trace.recorded_after')).toBe('slow');
    expect(attr(span, 'http.route')).toBe('/v1/slow');
    expect(span.status?.code ?? 0).toBe(0);
    const ms = Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1_000_000n);
    expect(ms).toBeGreaterThanOrEqual(400);

    // A fast unsampled one is not.
    const fast = await call(`${base}/v1/fast`, traceparent('00', 'e'.repeat(32)));
    expect(fast.status).toBe(200);
    await sampledMarker();
    expect(spans.filter((s) => s.traceId === 'e'.repeat(32))).toEqual([]);
  });
});
