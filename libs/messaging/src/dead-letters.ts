/** Operator access to dead-letter queues: list them, inspect their messages, replay them to their consumer. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp, { type Channel, type GetMessage } from 'amqplib';
import { DEAD_LETTER_ATTEMPTS, DEAD_LETTER_REASON } from './consumer';

const run = promisify(execFile);

export interface DeadLetterQueue {
  queue: string;
  messages: number;
}

export interface DeadLetter {
  messageId: string | undefined;
  type: string | undefined;
  reason: string;
  attempts: number | undefined;
  deadLetteredAt: string | undefined;
  body: unknown;
}

/** Headers that describe a previous life in a queue; a replayed message starts afresh without them. */
const STALE_HEADERS = [
  'x-delivery-count',
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  DEAD_LETTER_REASON,
  DEAD_LETTER_ATTEMPTS,
  'x-midas-dead-lettered-at',
  'x-midas-original-routing-key',
];

/** `booking.hold-events` or `booking.hold-events.dlq`, with or without the namespace -> the dlq's full name. */
export function deadLetterQueueName(namespace: string, queue: string): string {
  const full = queue.startsWith(namespace) ? queue : `${namespace}${queue}`;
  return full.endsWith('.dlq') ? full : `${full}.dlq`;
}

/**
 * AMQP cannot enumerate queues, so listing asks the management API when RABBITMQ_MANAGEMENT_URL
 * is set (e.g. http://guest:guest@127.0.0.1:15672), and `rabbitmqctl` on the broker host otherwise.
 */
export async function listDeadLetterQueues(
  amqpUrl: string,
  namespace: string,
  managementUrl = process.env.RABBITMQ_MANAGEMENT_URL,
): Promise<DeadLetterQueue[]> {
  const vhost = decodeURIComponent(new URL(amqpUrl).pathname.replace(/^\//, '')) || '/';
  let queues: { name: string }[];
  if (managementUrl) {
    const url = new URL(`/api/queues/${encodeURIComponent(vhost)}?columns=name`, managementUrl);
    const auth = Buffer.from(
      `${decodeURIComponent(url.username || 'guest')}:${decodeURIComponent(url.password || 'guest')}`,
    );
    url.username = '';
    url.password = '';
    const res = await fetch(url, { headers: { authorization: `Basic ${auth.toString('base64')}` } });
    if (!res.ok) throw new Error(`management API answered ${res.status}`);
    queues = (await res.json()) as { name: string }[];
  } else {
    const { stdout } = await run('rabbitmqctl', [
      'list_queues',
      '-q',
      '-p',
      vhost,
      'name',
      '--formatter',
      'json',
    ]);
    queues = JSON.parse(stdout) as { name: string }[];
  }
  const names = queues
    .map((q) => q.name)
    .filter((name) => name.startsWith(namespace) && name.endsWith('.dlq'))
    .sort();
  // Listed counts come from periodic statistics; the broker's own answer is exact.
  const connection = await amqp.connect(amqpUrl);
  try {
    const out: DeadLetterQueue[] = [];
    for (const name of names) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const found = await channel.checkQueue(name).catch(() => undefined);
      if (found) out.push({ queue: name, messages: found.messageCount });
      await channel.close().catch(() => undefined);
    }
    return out;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function describeMessage(msg: GetMessage): DeadLetter {
  const headers = msg.properties.headers ?? {};
  let body: unknown;
  try {
    body = JSON.parse(msg.content.toString('utf8'));
  } catch {
    body = msg.content.toString('utf8');
  }
  const deaths = headers['x-death'] as { reason?: string }[] | undefined;
  return {
    messageId: msg.properties.messageId as string | undefined,
    type: msg.properties.type as string | undefined,
    reason: String(
      headers[DEAD_LETTER_REASON] ?? headers['x-first-death-reason'] ?? deaths?.[0]?.reason ?? 'unknown',
    ),
    attempts: headers[DEAD_LETTER_ATTEMPTS] === undefined ? undefined : Number(headers[DEAD_LETTER_ATTEMPTS]),
    deadLetteredAt: headers['x-midas-dead-lettered-at'] as string | undefined,
    body,
  };
}

/** Reads up to `limit` dead letters without removing them (they return to the queue afterwards). */
export async function showDeadLetters(amqpUrl: string, dlq: string, limit = 20): Promise<DeadLetter[]> {
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined); // a missing queue rejects checkQueue below
    await mustExist(channel, dlq);
    const out: DeadLetter[] = [];
    for (let i = 0; i < limit; i++) {
      const msg = await channel.get(dlq, { noAck: false });
      if (!msg) break;
      out.push(describeMessage(msg));
    }
    // Closing the channel hands every message we held back to the queue.
    await channel.close();
    return out;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Moves up to `limit` dead letters (default: all present now) back to their consumer's queue,
 * with a fresh delivery count. Each is removed from the dead-letter queue only after the broker
 * confirmed the republish, so a crash mid-replay loses nothing (it may replay one twice; the
 * inbox makes that harmless).
 */
export async function replayDeadLetters(amqpUrl: string, dlq: string, limit?: number): Promise<number> {
  const target = dlq.replace(/\.dlq$/, '');
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined); // a missing queue rejects checkQueue below
    const { messageCount } = await mustExist(channel, dlq);
    await mustExist(channel, target);
    const max = Math.min(limit ?? messageCount, messageCount);
    let replayed = 0;
    while (replayed < max) {
      const msg = await channel.get(dlq, { noAck: false });
      if (!msg) break;
      const headers: Record<string, unknown> = {
        ...msg.properties.headers,
        'x-midas-replayed-at': new Date().toISOString(),
      };
      for (const key of STALE_HEADERS) delete headers[key];
      const p = msg.properties;
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(
          target,
          msg.content,
          {
            persistent: true,
            headers,
            messageId: p.messageId,
            type: p.type,
            appId: p.appId,
            contentType: p.contentType,
            timestamp: p.timestamp,
            correlationId: p.correlationId,
          },
          (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
        );
      });
      channel.ack(msg);
      replayed += 1;
    }
    await channel.close();
    return replayed;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function mustExist(channel: Channel, queue: string): Promise<{ messageCount: number }> {
  try {
    return await channel.checkQueue(queue);
  } catch {
    throw new Error(`there is no queue named ${queue}`);
  }
}
