/**
 * Quote throughput and p99 latency of the pricing service, beside the ceiling of a bare express
 * app answering `SELECT 1` from the same PostgreSQL, measured in the same run with autocannon.
 *
 *   node --import tsx bench/pricing/quote-latency.ts
 *   (BENCH_SECONDS=10 per scenario, BENCH_CONNECTIONS=20 by default)
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import { createDb, createPool } from '@midas/db';
import { parseConfig } from '@midas/config';
import { startService } from '@midas/runtime';
import { AMQP_URL, createTestDatabase, REDIS_URL, uniqueName } from '@midas/testing';
import { pricingService } from '../../services/pricing/src/service';
import { schema } from '../../services/pricing/src/db/schema';
import { seedPricing } from '../../services/pricing/src/db/seed';
import { upsertItem } from '../../services/pricing/src/db/items';
import { setRateCard } from '../../services/pricing/src/flows/set-rate-card';
import { deleteTopology, pricingQueues } from '../../services/pricing/test/support/pricing-harness';

const SECONDS = Math.min(120, Math.max(2, Number(process.env.BENCH_SECONDS ?? 10)));
const CONNECTIONS = Math.min(200, Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 20)));

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(name: string, opts: autocannon.Options): Promise<Figures> {
  // A short warm-up fills pools and JIT caches, so the measured run is steady state.
  await autocannon({ ...opts, duration: 2 });
  const result = await autocannon({ ...opts, duration: SECONDS, connections: CONNECTIONS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** The ceiling: express, JSON out, one round trip to PostgreSQL per request. */
async function bareExpress(databaseUrl: string): Promise<Figures> {
  const pool = createPool(databaseUrl);
  const app = express();
  app.get('/select1', async (_req, res) => {
    const { rows } = await pool.query('SELECT 1 AS one');
    res.json(rows[0]);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  try {
    return await load('bare express + SELECT 1', {
      url: `http://127.0.0.1:${port}/select1`,
      connections: CONNECTIONS,
    });
  } finally {
    server.closeAllConnections();
    server.close();
    await pool.end();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const namespace = `${uniqueName('bench')}-`;
  const cfg = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL,
    AMQP_URL,
    MIDAS_NAMESPACE: namespace,
  });
  const figures: Figures[] = [];
  try {
    figures.push(await bareExpress(database.url));

    const running = await startService(pricingService, cfg, { port: 0 });
    try {
      await seedPricing(running.ctx.pool);
      const db = createDb(running.ctx.pool, schema);
      const car = randomUUID();
      const yacht = randomUUID();
      const now = new Date();
      const base = {
        name: 'Bench',
        location: 'Monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        bufferMinutes: 0,
        minNoticeMinutes: 0,
        active: true,
      };
      await upsertItem(db, { ...base, id: car, type: 'car', rate: { unit: 'day', amount: 100_000 } }, now);
      await upsertItem(
        db,
        { ...base, id: yacht, type: 'yacht', rate: { unit: 'hour', amount: 80_000 } },
        now,
      );
      await setRateCard(
        { db, now: () => now, quoteTtlMs: 60_000 },
        { sub: 'bench', role: 'super_admin' },
        yacht,
        { dailyCap: 1_200_000 },
      );
      const url = `http://127.0.0.1:${running.port}/v1/quotes`;
      const post = (body: object): autocannon.Options => ({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        connections: CONNECTIONS,
      });
      figures.push(
        await load(
          'POST /v1/quotes: 2-day car',
          post({ itemId: car, start: '2027-10-01T10:00:00+02:00', end: '2027-10-03T10:00:00+02:00' }),
        ),
      );
      figures.push(
        await load(
          'POST /v1/quotes: 3-day VVIP yacht, 2 seasons, cap, chef',
          post({
            itemId: yacht,
            start: '2027-06-29T10:00:00+02:00',
            end: '2027-07-02T10:00:00+02:00',
            tier: 'vvip',
            addOns: [{ code: 'chef', quantity: 6 }],
          }),
        ),
      );
    } finally {
      await running.stop();
      await deleteTopology(AMQP_URL, namespace, pricingQueues(namespace));
    }
  } finally {
    await database.drop();
  }

  const ceiling = figures[0]!;
  console.log(`\n${SECONDS} s per scenario, ${CONNECTIONS} connections, autocannon in the same process\n`);
  console.log(
    'scenario'.padEnd(58),
    'req/s'.padStart(8),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs ceiling'.padStart(11),
    'errors'.padStart(7),
  );
  for (const f of figures) {
    const ratio = f === ceiling ? '1.00' : (f.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2);
    console.log(
      f.name.padEnd(58),
      f.requestsPerSecond.toFixed(0).padStart(8),
      f.p50.toFixed(1).padStart(8),
      f.p99.toFixed(1).padStart(8),
      `${ratio}×`.padStart(11),
      String(f.errors).padStart(7),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
