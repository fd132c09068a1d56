import { randomUUID } from 'node:crypto';
import { eventually } from '@midas/testing';
import { OutboxRelay } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const DAY = 24 * 3600 * 1000;

describe('inbox retention', () => {
  let m: MessagingEnv;

  beforeAll(async () => {
    m = await messagingEnv(['retained']);
  });
  afterAll(() => m.close());

  async function remember(consumer: string, count: number, ageMs: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await m.pool.query(
      `INSERT INTO retained.inbox (consumer, event_id, type, processed_at)
       SELECT $1, id, 'test.noted', now() - make_interval(secs => $3) FROM unnest($2::uuid[]) AS id`,
      [consumer, ids, ageMs / 1000],
    );
    return ids;
  }

  it('deletes processed ids past the retention in bounded batches, and keeps the recent ones', async () => {
    const old = [...(await remember('a', 7, 8 * DAY)), ...(await remember('b', 5, 7 * DAY + 60_000))];
    const recent = [...(await remember('a', 3, 6 * DAY)), ...(await remember('b', 2, 1000))];
    const relay = new OutboxRelay({
      pool: m.pool,
      schema: 'retained',
      broker: await m.connect('retained'),
      logger: m.logger,
      source: 'retained',
      inboxRetentionMs: 7 * DAY,
      purgeBatchSize: 5,
    });
    const left = async () =>
      (await m.pool.query<{ event_id: string }>('SELECT event_id FROM retained.inbox')).rows.map(
        (r) => r.event_id,
      );
    relay.start();
    try {
      // 12 old rows in batches of 5: all gone in the first sweep (the next one is a minute away).
      await eventually(async () => !(await left()).some((id) => old.includes(id)));
    } finally {
      await relay.stop();
    }
    expect((await left()).sort()).toEqual([...recent].sort());
  });
});
