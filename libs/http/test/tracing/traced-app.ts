/**
 * A process for the server-span test: the OpenTelemetry SDK started from the environment as a
 * service's telemetry.ts starts it, then an app from createApp with a few routes. It prints its
 * port and its request log lines on stdout. NEXT_HOP_URL is where its POST and relay routes
 * call next, through fetch.
 */
import { startTelemetry } from '@midas/observability';

startTelemetry('tracing-test');

async function main(): Promise<void> {
  // Loaded after the SDK, as a service's main.ts loads its modules after telemetry.ts.
  const { createServer } = await import('node:http');
  const { createLogger, createMetrics } = await import('@midas/observability');
  const { createApp } = await import('@midas/http');
  const nextHop = process.env.NEXT_HOP_URL!;
  const app = createApp({
    service: 'tracing-test',
    // Request log lines on stdout, one JSON object each, for the test to read their trace ids.
    logger: createLogger('tracing-test', 'info'),
    metrics: createMetrics('tracing-test'),
    readiness: {},
    routes: (r) => {
      // The next hop is called after the JSON body has been read, so the trace context has to
      // survive the body parser's stream events.
      r.post('/v1/things/:id', async (req, res) => {
        const hop = await fetch(`${nextHop}/hop`);
        await hop.text();
        res.json({ id: req.params.id, body: req.body as unknown });
      });
      // A request without a body that calls the next hop.
      r.get('/v1/relay', async (_req, res) => {
        const hop = await fetch(`${nextHop}/hop`);
        await hop.text();
        res.json({ relayed: true });
      });
      r.get('/v1/fail', () => {
        throw new Error('broken on purpose');
      });
      r.get('/v1/slow', async (_req, res) => {
        await new Promise((done) => setTimeout(done, 400));
        res.json({ slow: true });
      });
      r.get('/v1/fast', (_req, res) => {
        res.json({ fast: true });
      });
    },
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`port ${(server.address() as { port: number }).port}\n`);
  });
}

void main();
