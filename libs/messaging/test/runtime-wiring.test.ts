import path from 'node:path';
import { z } from 'zod';
import { createDb, sql } from '@midas/db';
import { createTestEnv, deleteQueues, eventually, withDeadLetters, type TestEnv } from '@midas/testing';
import { startService, type RunningService, type ServiceDefinition } from '@midas/runtime';
import { enqueueEvent } from '@midas/messaging';

describe('a service started by the runtime', () => {
  let env: TestEnv;
  let running: RunningService;
  const received: string[] = [];
  let queue = '';

  const def: ServiceDefinition = {
    name: 'notification',
    schema: 'wired',
    migrationsFolder: path.join(__dirname, 'service-migrations'),
    async setup(ctx) {
      const consumer = await ctx.broker.consume({
        purpose: 'notes',
        pool: ctx.pool,
        schema: 'wired',
        handlers: {
          'wired.noted': {
            schema: z.object({ text: z.string() }),
            handle: (data) => void received.push(data.text),
          },
        },
      });
      queue = consumer.queue;
      return {
        routes: (router) => {
          router.post('/notes', async (_req, res) => {
            await createDb(ctx.pool, {}).transaction(async (tx) => {
              await tx.execute(sql`INSERT INTO wired.notes (id, text) VALUES (gen_random_uuid(), 'hello')`);
              await enqueueEvent(tx, 'wired', { type: 'wired.noted', data: { text: 'hello' } });
            });
            res.status(201).json({});
          });
        },
      };
    },
  };

  beforeAll(async () => {
    env = await createTestEnv();
    running = await startService(def, env.cfg, { port: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await deleteQueues(env.cfg.AMQP_URL, withDeadLetters([queue]));
    await env.cleanup();
  });

  it('reports RabbitMQ and Redis in its readiness', async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ checks: { postgres: 'ok', rabbitmq: 'ok', redis: 'ok' } });
  });

  it('creates the outbox and inbox in its schema and relays what a request wrote', async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/notes`, { method: 'POST' });
    expect(res.status).toBe(201);
    await eventually(async () => received.includes('hello'));
    // The handler runs inside the inbox transaction: its row is visible once that commits.
    const inbox = await eventually(async () => {
      const rows = (await running.ctx.pool.query(`SELECT type FROM wired.inbox`)).rows;
      return rows.length ? rows : undefined;
    });
    expect(inbox).toEqual([{ type: 'wired.noted' }]);
    const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
    expect(metrics).toMatch(/midas_messaging_consumed_total\{[^}]*outcome="handled"[^}]*\} 1/);
    expect(metrics).toMatch(/midas_outbox_published_total\{[^}]*schema="wired"[^}]*\} 1/);
  });

  it('reports its PostgreSQL pool and the depth of its own consumer queues on /metrics', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
    expect(metrics).toMatch(/midas_db_pool_connections\{[^}]*state="total"[^}]*\} \d+/);
    expect(metrics).toMatch(/midas_db_pool_connections\{[^}]*state="waiting"[^}]*\} 0/);
    expect(metrics).toMatch(/midas_db_pool_max\{[^}]*\} 10/);
    const ready = (q: string) =>
      new RegExp(`midas_queue_messages_ready\\{[^}]*queue="${q.replace(/[.]/g, '\\.')}"[^}]*\\} 0`);
    expect(metrics).toMatch(ready(queue));
    expect(metrics).toMatch(ready(`${queue}.dlq`));
    expect(metrics).toMatch(
      new RegExp(`midas_queue_consumers\\{[^}]*queue="${queue.replace(/[.]/g, '\\.')}"[^}]*\\} 1`),
    );
  });

  it('namespaces BullMQ queues from the context', async () => {
    expect(running.ctx.jobs.prefix).toBe(`${env.namespace}bull`);
  });
});
