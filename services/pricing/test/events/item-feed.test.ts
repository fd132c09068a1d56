import request from 'supertest';
import { Broker, enqueueEvent, migrateMessaging, OutboxRelay } from '@midas/messaging';
import { createDb } from '@midas/db';
import { createLogger } from '@midas/observability';
import { brokerScope, connectBroker, eventually } from '@midas/testing';
import { itemSnapshot, startPricing, type PricingHarness } from '../support/harness';
import { findItem } from '../../src/db/items';
import { recordItem } from '../../src/flows/record-item';

let h: PricingHarness;
let availability: Broker;
let relay: OutboxRelay;

/** Publishes as availability does: an outbox row in its schema, relayed with publisher confirms. */
async function publish(
  type: 'item.created' | 'item.updated',
  data: ReturnType<typeof itemSnapshot>,
): Promise<void> {
  await enqueueEvent(createDb(h.running.ctx.pool, {}), 'availability', { type, data });
}

beforeAll(async () => {
  h = await startPricing();
  const logger = createLogger('test', 'silent');
  await migrateMessaging(h.running.ctx.pool, 'availability');
  availability = await connectBroker(brokerScope(h.env), 'availability');
  relay = new OutboxRelay({
    pool: h.running.ctx.pool,
    schema: 'availability',
    broker: availability,
    logger,
    source: 'availability',
  });
  relay.start();
});
afterAll(async () => {
  await relay.stop();
  await availability.close();
  await h.stop();
});

const quote = (itemId: string) =>
  request(h.running.app)
    .post('/v1/quotes')
    .send({ itemId, start: '2027-10-01T10:00:00+02:00', end: '2027-10-02T10:00:00+02:00' });

describe('item feed from availability', () => {
  it('quotes an item as soon as its item.created event arrives, and re-prices it after item.updated', async () => {
    const item = itemSnapshot({ type: 'car', rate: { unit: 'day', amount: 100_000 } });
    await publish('item.created', item);
    await eventually(() => findItem(h.db, item.id));
    // 1 day × 100 000, Monaco October standard, VAT 20 % -> 120 000
    expect((await quote(item.id)).body.total).toBe(120_000);

    await publish('item.updated', { ...item, rate: { unit: 'day', amount: 200_000 } });
    await eventually(async () => (await findItem(h.db, item.id))?.rateAmount === 200_000);
    expect((await quote(item.id)).body.total).toBe(240_000);

    await publish('item.updated', { ...item, active: false });
    await eventually(async () => (await findItem(h.db, item.id))?.active === false);
    expect((await quote(item.id)).status).toBe(422);
  });

  it('keeps the newer copy when an older snapshot arrives late', async () => {
    const item = itemSnapshot({ rate: { unit: 'hour', amount: 50_000 } });
    expect(await recordItem(h.db, item, new Date('2027-01-01T10:00:01Z'))).toBe(true);
    expect(
      await recordItem(
        h.db,
        { ...item, rate: { unit: 'hour', amount: 1 } },
        new Date('2027-01-01T10:00:00Z'),
      ),
    ).toBe(false);
    expect((await findItem(h.db, item.id))?.rateAmount).toBe(50_000);
  });

  it('does not keep an item in a currency it cannot price', async () => {
    const item = itemSnapshot({ currency: 'ZZZ' });
    await expect(recordItem(h.db, item, new Date())).rejects.toMatchObject({ code: 'unknown_currency' });
    expect(await findItem(h.db, item.id)).toBeUndefined();
  });
});
