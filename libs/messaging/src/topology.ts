/** Names and declarations of every RabbitMQ exchange and queue, prefixed by the namespace. */
import type { Channel } from 'amqplib';

export interface Names {
  events: string;
  rpc: string;
  deadLetters: string;
  consumerQueue: (service: string, purpose: string) => string;
  deadLetterQueue: (queue: string) => string;
  rpcQueue: (method: string) => string;
}

export function topologyNames(namespace: string): Names {
  return {
    events: `${namespace}midas.events`,
    rpc: `${namespace}midas.rpc`,
    deadLetters: `${namespace}midas.dead-letters`,
    consumerQueue: (service, purpose) => `${namespace}${service}.${purpose}`,
    deadLetterQueue: (queue) => `${queue}.dlq`,
    rpcQueue: (method) => `${namespace}rpc.${method}`,
  };
}

export async function declareExchanges(channel: Channel, names: Names): Promise<void> {
  await channel.assertExchange(names.events, 'topic', { durable: true });
  await channel.assertExchange(names.rpc, 'direct', { durable: true });
  await channel.assertExchange(names.deadLetters, 'direct', { durable: true });
}

/**
 * A consumer's durable quorum queue and its dead-letter queue. The broker itself dead-letters a
 * message delivered more than `deliveryLimit` times (e.g. one that crashes the process each time);
 * ordinary failures are dead-lettered earlier by the consumer, with the reason attached.
 */
export async function declareConsumerQueue(
  channel: Channel,
  names: Names,
  queue: string,
  deliveryLimit: number,
  routingKeys: readonly string[],
  options: { singleActiveConsumer?: boolean; unbind?: readonly string[] } = {},
): Promise<void> {
  const dlq = names.deadLetterQueue(queue);
  await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(dlq, names.deadLetters, queue);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': names.deadLetters,
      'x-dead-letter-routing-key': queue,
      ...(options.singleActiveConsumer ? { 'x-single-active-consumer': true } : {}),
    },
  });
  for (const key of routingKeys) await channel.bindQueue(queue, names.events, key);
  // Bindings outlive the code that made them: a key this queue no longer wants goes, or an
  // upgraded consumer would keep receiving (and paying an inbox transaction for) what it ignores.
  for (const key of options.unbind ?? []) await channel.unbindQueue(queue, names.events, key);
}

/** RPC requests carry their own expiry, so a queue without servers never fills with stale asks. */
export async function declareRpcQueue(channel: Channel, names: Names, method: string): Promise<string> {
  const queue = names.rpcQueue(method);
  await channel.assertQueue(queue, { durable: true });
  await channel.bindQueue(queue, names.rpc, method);
  return queue;
}
