/** A consumer declared single-active keeps its queue's order across replicas: one receives, the others stand by. */
import { z } from 'zod';
import { eventually } from '@midas/testing';
import { enqueueEvent, OutboxRelay, type Broker, type Consumer } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const noted = z.object({ n: z.number().int() });

describe('single active consumer', () => {
  let m: MessagingEnv;
  let producer: Broker;
  let relay: OutboxRelay;

  beforeAll(async () => {
    m = await messagingEnv(['producer', 'consumer']);
    producer = await m.connect('producer');
    relay = new OutboxRelay({
      pool: m.pool,
      schema: 'producer',
      broker: producer,
      logger: m.logger,
      source: 'producer',
    });
    relay.start();
  });
  afterAll(async () => {
    await relay.stop();
    await m.close();
  });

  async function replica(seen: number[]): Promise<Consumer> {
    const broker = await m.connect('consumer');
    const consumer = await broker.consume({
      purpose: 'ordered',
      pool: m.pool,
      schema: 'consumer',
      prefetch: 1,
      singleActiveConsumer: true,
      handlers: {
        'test.noted': {
          schema: noted,
          handle: async (data) => {
            seen.push(data.n);
          },
        },
      },
    });
    if (!m.queues.includes(consumer.queue)) m.queues.push(consumer.queue);
    return consumer;
  }

  async function publish(from: number, count: number): Promise<void> {
    for (let n = from; n < from + count; n += 1) {
      await m.db.transaction((tx) => enqueueEvent(tx, 'producer', { type: 'test.noted', data: { n } }));
    }
  }

  it('gives every message, in order, to one of two replicas, and the other takes over when it stops', async () => {
    const first: number[] = [];
    const second: number[] = [];
    const a = await replica(first);
    const b = await replica(second);

    await publish(0, 20);
    await eventually(async () => first.length + second.length === 20);
    // Without single-active-consumer, prefetch 1 on two consumers splits the messages between them.
    const active = first.length ? first : second;
    expect(first.length === 0 || second.length === 0).toBe(true);
    expect(active).toEqual([...Array(20).keys()]);

    const [stopped, standby, standbySeen] = active === first ? [a, b, second] : [b, a, first];
    await stopped.stop();
    await publish(20, 5);
    await eventually(async () => standbySeen.length === 5);
    expect(standbySeen).toEqual([20, 21, 22, 23, 24]);
    await standby.stop();
  });
});
