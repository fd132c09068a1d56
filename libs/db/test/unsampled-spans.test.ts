/**
 * The queries of a request the sampler left out reach pg without its non-recording span, so the
 * pg instrumentation (which patches Client.prototype.query and requires a parent span) skips
 * them; a sampled request's queries still see its span. The prototype is spied on here the way
 * the instrumentation patches it.
 */
import { Client } from 'pg';
import { context, trace, ROOT_CONTEXT, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createTestDatabase, type TestDatabase } from '@midas/testing';
import { createDb, createPool, sql, type Pool } from '../src';

let db: TestDatabase;
let pool: Pool;
const seen: { text: string; span: Span | undefined }[] = [];
const originalQuery = Client.prototype.query;
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    seen.push({
      text: typeof first === 'string' ? first : (first?.text ?? ''),
      span: trace.getSpan(context.active()),
    });
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof originalQuery;
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
});
afterAll(async () => {
  Client.prototype.query = originalQuery;
  await pool?.end();
  await db?.drop();
  context.disable();
});
beforeEach(() => (seen.length = 0));

const unsampled = trace.wrapSpanContext({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.NONE,
});
const recording = new BasicTracerProvider({ sampler: new AlwaysOnSampler() })
  .getTracer('test')
  .startSpan('request');

async function queriesIn(span: Span): Promise<{ after: Span | undefined }> {
  return context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
    await pool.query('SELECT 1 AS one');
    await createDb(pool, {}).transaction(async (tx) => {
      await tx.execute(sql`SELECT 2 AS two`);
    });
    return { after: trace.getSpan(context.active()) };
  });
}

describe('queries of a request left out by the sampler', () => {
  it('reach pg with no span, pool queries and transaction statements alike, and the caller keeps its context', async () => {
    expect(unsampled.isRecording()).toBe(false);
    const { after } = await queriesIn(unsampled);
    const texts = seen.map((s) => s.text);
    expect(texts).toEqual(expect.arrayContaining(['SELECT 1 AS one', 'begin', 'SELECT 2 AS two', 'commit']));
    expect(seen.filter((s) => s.span !== undefined)).toEqual([]);
    expect(after).toBe(unsampled);
  });

  it('of a sampled request reach pg inside its span', async () => {
    await queriesIn(recording);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.every((s) => s.span === recording)).toBe(true);
  });

  it('outside any request reach pg with no span, as before', async () => {
    await pool.query('SELECT 3 AS three');
    expect(seen).toEqual([{ text: 'SELECT 3 AS three', span: undefined }]);
  });
});
