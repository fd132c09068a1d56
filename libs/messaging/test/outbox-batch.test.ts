import { randomUUID } from 'node:crypto';
import { enqueueEvents } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

describe('enqueueEvents', () => {
  let m: MessagingEnv;

  beforeAll(async () => {
    m = await messagingEnv(['producer']);
  });
  afterAll(() => m.close());

  it('stores many events in one statement, in the order given, each validated against its contract', async () => {
    const fixedId = randomUUID();
    const ids = await m.db.transaction((tx) =>
      enqueueEvents(tx, 'producer', [
        { type: 'test.noted', data: { n: 1 } },
        { type: 'test.noted', data: { n: 2 }, id: fixedId, version: 2 },
        { type: 'test.noted', data: { n: 3 } },
      ]),
    );
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(fixedId);
    const rows = await m.pool.query(
      'SELECT id, type, version, data FROM producer.outbox WHERE id = ANY($1::uuid[]) ORDER BY seq',
      [ids],
    );
    expect(rows.rows).toEqual([
      { id: ids[0], type: 'test.noted', version: 1, data: { n: 1 } },
      { id: fixedId, type: 'test.noted', version: 2, data: { n: 2 } },
      { id: ids[2], type: 'test.noted', version: 1, data: { n: 3 } },
    ]);
    expect(await m.db.transaction((tx) => enqueueEvents(tx, 'producer', []))).toEqual([]);
  });

  it('stores none of them when one breaks its contract', async () => {
    const before = await m.pool.query('SELECT count(*)::int AS n FROM producer.outbox');
    await expect(
      m.db.transaction((tx) =>
        enqueueEvents(tx, 'producer', [
          { type: 'test.noted', data: { n: 1 } },
          { type: 'booking.reminder_due', data: { bookingId: 'not-a-uuid' } as never },
        ]),
      ),
    ).rejects.toThrow();
    expect((await m.pool.query('SELECT count(*)::int AS n FROM producer.outbox')).rows).toEqual(before.rows);
  });
});
