import { randomUUID } from 'node:crypto';
import { startPricing, type PricingHarness } from '../support/harness';
import { findQuote, insertQuote } from '../../src/db/quotes';
import { purgeExpiredQuotes, QUOTE_RETENTION_MS } from '../../src/flows/purge-expired-quotes';
import { MAINTENANCE_QUEUE, QUOTE_PURGE_SCHEDULER } from '../../src/jobs/quote-purge';

let h: PricingHarness;
beforeAll(async () => {
  h = await startPricing({ seed: false });
});
afterAll(async () => {
  await h.stop();
});

async function quoteExpiringAt(expiresAt: Date): Promise<string> {
  const id = randomUUID();
  await insertQuote(h.deps.pool, {
    id,
    itemId: randomUUID(),
    start: new Date('2027-01-01T10:00:00Z'),
    end: new Date('2027-01-02T10:00:00Z'),
    tier: 'standard',
    addOns: [],
    currency: 'EUR',
    total: 100,
    lines: [{ code: 'base', description: '1 day', amount: 100 }],
    expiresAt,
  });
  return id;
}

describe('expired quote purge', () => {
  it('removes quotes expired for longer than the retention and keeps the rest', async () => {
    const now = new Date();
    const old = await quoteExpiringAt(new Date(now.getTime() - QUOTE_RETENTION_MS - 60_000));
    const recent = await quoteExpiringAt(new Date(now.getTime() - 60_000));
    const live = await quoteExpiringAt(new Date(now.getTime() + 60_000));
    const purged = await purgeExpiredQuotes({ ...h.deps, now: () => now });
    expect(purged).toBe(1);
    expect(await findQuote(h.db, old)).toBeUndefined();
    expect(await findQuote(h.db, recent)).toBeDefined();
    expect(await findQuote(h.db, live)).toBeDefined();
  });

  it('is scheduled hourly by the running service', async () => {
    const scheduler = await h.running.ctx.jobs
      .queue(MAINTENANCE_QUEUE)
      .getJobScheduler(QUOTE_PURGE_SCHEDULER);
    expect(scheduler?.every).toBe(3_600_000);
  });
});
