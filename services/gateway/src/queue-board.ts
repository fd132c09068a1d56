/** The BullMQ dashboard (bull-board) over the time-driven queues, mounted for admins only. */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import type { Config } from '@midas/config';
import { jobsPrefix } from '@midas/jobs';
import type { Logger } from '@midas/observability';

export const QUEUE_BOARD_PATH = '/admin/queues';
/**
 * Booking's reminders, lifecycle (no-show, completion, sweeps) and refund repair, availability's
 * hold expiry, notification deliveries and calendar sync.
 */
export const BOARD_QUEUES = [
  'reminders',
  'lifecycle',
  'refunds',
  'holds',
  'notifications',
  'calendar-sync',
] as const;

export interface QueueBoard {
  router: Router;
  close: () => Promise<void>;
}

export function createQueueBoard(cfg: Config, logger: Logger): QueueBoard {
  // One connection for the board; a Redis that is away makes the board's calls fail instead of hanging.
  const connection = new Redis(cfg.REDIS_URL, { maxRetriesPerRequest: 1 });
  connection.on('error', (err: Error) => logger.debug({ err: err.message }, 'queue board redis error'));
  const prefix = jobsPrefix(cfg.MIDAS_NAMESPACE);
  const queues = BOARD_QUEUES.map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) {
    queue.on('error', (err: Error) =>
      logger.debug({ err: err.message, queue: queue.name }, 'queue board error'),
    );
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Midas queues' } },
  });
  return {
    router: serverAdapter.getRouter() as Router,
    close: async () => {
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
