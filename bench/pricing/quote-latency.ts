/**
 * Quote throughput and p99 latency of the pricing service, beside the ceiling of a bare express
 * app answering `SELECT 1` from the same PostgreSQL, measured in the same run with autocannon.
 * Scenarios take turns over several rounds and the median of each is reported, so a burst of
 * load from elsewhere on the machine does not land on one scenario only.
 *
 *   node --import tsx bench/pricing/quote-latency.ts
 *   (BENCH_ROUNDS=3, BENCH_SECONDS=5 per scenario and round, BENCH_CONNECTIONS=20)
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import { createPool, type Pool } from '@midas/db';
import { parseConfig } from '@midas/config';
import { startService, type RunningService } from '@midas/runtime';
import { AMQP_URL, createTestDatabase, REDIS_URL, uniqueName } from '@midas/testing';
import { pricingService } from '../../services/pricing/src/service';
import { seedPricing } from '../../services/pricing/src/db/seed';
import { upsertItem } from '../../services/pricing/src/db/items';
import { setRateCard } from '../../services/pricing/src/flows/set-rate-card';
import { createFlowContext } from '../../services/pricing/src/flows/context';
import { deleteTopology, pricingQueues } from '../../services/pricing/test/support/harness';

const ROUNDS = Math.min(10, Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3)));
const SECONDS = Math.min(60, Math.max(2, Number(process.env.BENCH_SECONDS ?? 5)));
const CONNECTIONS = Math.min(200, Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 20)));

interface Scenario {
  name: string;
  options: autocannon.Options;
  runs: { requestsPerSecond: number; p50: number; p99: number; errors: number }[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(scenario: Scenario, seconds: number): Promise<void> {
  const result = await autocannon({ ...scenario.options, duration: seconds, connections: CONNECTIONS });
  scenario.runs.push({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  });
}

/** The ceiling: express, JSON out, one round trip to PostgreSQL per request. */
async function startCeiling(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const pool: Pool = createPool(databaseUrl);
  const app = express();
  app.get('/select1', async (_req, res) => {
    const { rows } = await pool.query('SELECT 1 AS one');
    res.json(rows[0]);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/select1`,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await pool.end();
    },
  };
}

async function preparePricing(running: RunningService): Promise<{ car: string; yacht: string }> {
  await seedPricing(running.ctx.pool);
  const deps = createFlowContext(running.ctx.pool);
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
  await upsertItem(deps.db, { ...base, id: car, type: 'car', rate: { unit: 'day', amount: 100_000 } }, now);
  await upsertItem(
    deps.db,
    { ...base, id: yacht, type: 'yacht', rate: { unit: 'hour', amount: 80_000 } },
    now,
  );
  await setRateCard(deps, { sub: 'bench', role: 'super_admin' }, yacht, { dailyCap: 1_200_000 });
  return { car, yacht };
}

function print(scenarios: Scenario[]): void {
  const ceiling = median(scenarios[0]!.runs.map((r) => r.requestsPerSecond));
  console.log(
    `\n${ROUNDS} rounds × ${SECONDS} s per scenario, ${CONNECTIONS} connections, medians; autocannon in the same process\n`,
  );
  console.log(
    'scenario'.padEnd(58),
    'req/s'.padStart(8),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs ceiling'.padStart(11),
    'errors'.padStart(7),
  );
  for (const s of scenarios) {
    const rps = median(s.runs.map((r) => r.requestsPerSecond));
    console.log(
      s.name.padEnd(58),
      rps.toFixed(0).padStart(8),
      median(s.runs.map((r) => r.p50))
        .toFixed(1)
        .padStart(8),
      median(s.runs.map((r) => r.p99))
        .toFixed(1)
        .padStart(8),
      `${(rps / ceiling).toFixed(2)}×`.padStart(11),
      String(s.runs.reduce((n, r) => n + r.errors, 0)).padStart(7),
    );
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
  try {
    const ceiling = await startCeiling(database.url);
    const running = await startService(pricingService, cfg, { port: 0 });
    try {
      const { car, yacht } = await preparePricing(running);
      const quotes = `http://127.0.0.1:${running.port}/v1/quotes`;
      const post = (body: object): autocannon.Options => ({
        url: quotes,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const scenarios: Scenario[] = [
        { name: 'bare express + SELECT 1', options: { url: ceiling.url }, runs: [] },
        {
          name: 'POST /v1/quotes: 2-day car',
          options: post({
            itemId: car,
            start: '2027-10-01T10:00:00+02:00',
            end: '2027-10-03T10:00:00+02:00',
          }),
          runs: [],
        },
        {
          name: 'POST /v1/quotes: 3-day VVIP yacht, 2 seasons, cap, chef',
          options: post({
            itemId: yacht,
            start: '2027-06-29T10:00:00+02:00',
            end: '2027-07-02T10:00:00+02:00',
            tier: 'vvip',
            addOns: [{ code: 'chef', quantity: 6 }],
          }),
          runs: [],
        },
      ];
      // Warm-up: pools filled, statements prepared, code optimised; not recorded.
      for (const s of scenarios) await autocannon({ ...s.options, duration: 2, connections: CONNECTIONS });
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of scenarios) await measure(s, SECONDS);
      }
      print(scenarios);
    } finally {
      await running.stop();
      await ceiling.stop();
      await deleteTopology(AMQP_URL, namespace, pricingQueues(namespace));
    }
  } finally {
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
