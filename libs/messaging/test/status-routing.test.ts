import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { ANY_STATUS_CHANGE, bookingEvents, statusChangedKeys, type BookingStatus } from '@midas/contracts';
import { eventually } from '@midas/testing';
import { enqueueEvent, OutboxRelay, type Broker, type Consumer } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const statusChanged = bookingEvents['booking.status_changed'];

function change(to: BookingStatus, from: BookingStatus = 'pending_payment') {
  return {
    bookingId: randomUUID(),
    itemId: randomUUID(),
    itemType: 'villa',
    itemName: 'Villa Sole',
    location: 'Aspen',
    timezone: 'UTC',
    start: '2037-07-01T08:00:00.000Z',
    end: '2037-07-02T08:00:00.000Z',
    status: to,
    currency: 'EUR',
    total: 1000,
    from,
    to,
    actor: 'system',
  };
}

describe('status changes routed by the status they reach', () => {
  let m: MessagingEnv;
  let producer: Broker;
  let consumerBroker: Broker;
  let relay: OutboxRelay;
  let channel: amqp.ConfirmChannel;
  let connection: amqp.ChannelModel;

  beforeAll(async () => {
    m = await messagingEnv(['producer', 'consumer']);
    producer = await m.connect('producer');
    consumerBroker = await m.connect('consumer');
    relay = new OutboxRelay({
      pool: m.pool,
      schema: 'producer',
      broker: producer,
      logger: m.logger,
      source: 'booking',
    });
    relay.start();
    connection = await amqp.connect(m.env.cfg.AMQP_URL);
    channel = await connection.createConfirmChannel();
  });
  afterAll(async () => {
    await relay.stop();
    await connection.close();
    await m.close();
  });

  /** Stores the event and waits until the broker confirmed it (the relay marks it sent after the confirm). */
  async function publish(data: ReturnType<typeof change>): Promise<string> {
    const id = await enqueueEvent(m.db, 'producer', { type: 'booking.status_changed', data });
    await eventually(async () => {
      const { rows } = await m.pool.query('SELECT sent_at FROM producer.outbox WHERE id = $1', [id]);
      return rows[0]?.sent_at instanceof Date;
    });
    return id;
  }

  async function inboxed(purpose: string): Promise<string[]> {
    const { rows } = await m.pool.query<{ event_id: string }>(
      'SELECT event_id FROM consumer.inbox WHERE consumer = $1 ORDER BY event_id',
      [purpose],
    );
    return rows.map((r) => r.event_id);
  }

  it('delivers to a consumer only the statuses it binds, and unbinds the bare type an older version bound', async () => {
    const seen: string[] = [];
    const consume = (keys?: string[]): Promise<Consumer> =>
      consumerBroker.consume({
        purpose: 'freeing',
        pool: m.pool,
        schema: 'consumer',
        handlers: {
          'booking.status_changed': {
            schema: statusChanged,
            ...(keys ? { routingKeys: keys } : {}),
            handle: (data) => void seen.push(data.to),
          },
        },
      });
    // The queue as the previous version left it: bound to every status change under the bare type.
    const old = await consume();
    m.queues.push(old.queue);
    await old.stop();
    await channel.bindQueue(old.queue, producer.names.events, 'booking.status_changed');

    const current = await consume(statusChangedKeys(['cancelled', 'expired']));
    const cancelled = await publish(change('cancelled'));
    await eventually(async () => (await inboxed('freeing')).includes(cancelled));
    await current.stop();

    // Nobody is consuming now: what the broker routes to the queue stays in it, to be counted.
    await publish(change('confirmed'));
    await publish(change('concierge_assigned', 'confirmed'));
    expect((await channel.checkQueue(current.queue)).messageCount).toBe(0);
    // The bare type (a publisher from before the change) reaches it no more either.
    channel.publish(producer.names.events, 'booking.status_changed', Buffer.from('{}'));
    await channel.waitForConfirms();
    const expired = await publish(change('expired'));
    expect((await channel.checkQueue(current.queue)).messageCount).toBe(1);

    const again = await consume(statusChangedKeys(['cancelled', 'expired']));
    await eventually(async () => (await inboxed('freeing')).includes(expired));
    await again.stop();
    expect(seen).toEqual(['cancelled', 'expired']);
    expect(await inboxed('freeing')).toEqual([cancelled, expired].sort());
  });

  it('delivers every status change to a consumer that binds them all', async () => {
    const seen: string[] = [];
    const consumer = await consumerBroker.consume({
      purpose: 'all-statuses',
      pool: m.pool,
      schema: 'consumer',
      handlers: {
        'booking.status_changed': {
          schema: statusChanged,
          routingKeys: [ANY_STATUS_CHANGE],
          handle: (data) => void seen.push(data.to),
        },
      },
    });
    m.queues.push(consumer.queue);
    await publish(change('confirmed'));
    await publish(change('concierge_assigned', 'confirmed'));
    await publish(change('no_show', 'ready'));
    await eventually(async () => seen.length === 3);
    await consumer.stop();
    expect(seen.sort()).toEqual(['concierge_assigned', 'confirmed', 'no_show']);
  });

  it('removes the binding of a key a consumer retired', async () => {
    const handlers = {
      'booking.status_changed': {
        schema: statusChanged,
        routingKeys: statusChangedKeys(['cancelled']),
        handle: () => undefined,
      },
    };
    const first = await consumerBroker.consume({
      purpose: 'retiring',
      pool: m.pool,
      schema: 'consumer',
      handlers,
    });
    m.queues.push(first.queue);
    await first.stop();
    await channel.bindQueue(first.queue, producer.names.events, 'payment.succeeded');
    const second = await consumerBroker.consume({
      purpose: 'retiring',
      pool: m.pool,
      schema: 'consumer',
      handlers,
      retiredRoutingKeys: ['payment.succeeded'],
    });
    await second.stop();
    channel.publish(producer.names.events, 'payment.succeeded', Buffer.from('{}'));
    await channel.waitForConfirms();
    await publish(change('cancelled'));
    expect((await channel.checkQueue(second.queue)).messageCount).toBe(1);
  });
});
