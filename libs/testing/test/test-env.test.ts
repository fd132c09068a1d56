import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createTestEnv, AMQP_URL, REDIS_URL } from '../src';

describe('test environment', () => {
  it('leaves no database, Redis key, queue or exchange behind after cleanup', async () => {
    const env = await createTestEnv();
    const pool = new Pool({ connectionString: env.cfg.DATABASE_URL, max: 1 });
    await pool.query('CREATE TABLE leftover (id int)');
    await pool.end();
    const redis = new Redis(REDIS_URL);
    await redis.set(`${env.namespace}some-key`, '1');
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertExchange(`${env.namespace}midas.events`, 'topic', { durable: true });
    await ch.assertQueue(`${env.namespace}svc.purpose`, { durable: true });

    await env.cleanup();

    expect(await redis.exists(`${env.namespace}some-key`)).toBe(0);
    redis.disconnect();
    const admin = new Pool({
      connectionString: env.cfg.DATABASE_URL.replace(/\/[^/]*$/, '/postgres'),
      max: 1,
    });
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [env.db.name]);
    await admin.end();
    expect(found.rowCount).toBe(0);
    // checkQueue/checkExchange close the channel when the name is missing.
    const probe = await conn.createChannel();
    probe.on('error', () => undefined);
    await expect(probe.checkQueue(`${env.namespace}svc.purpose`)).rejects.toThrow(/NOT_FOUND/);
    const probe2 = await conn.createChannel();
    probe2.on('error', () => undefined);
    await expect(probe2.checkExchange(`${env.namespace}midas.events`)).rejects.toThrow(/NOT_FOUND/);
    await conn.close().catch(() => undefined);
  });
});
