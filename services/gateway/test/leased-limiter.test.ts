/**
 * The rate limits' Redis counter spent in slices: two replicas (two limiters, each with its own
 * Redis connection, as two gateway processes) sharing one budget on the real Redis.
 */
import { Redis } from 'ioredis';
import { REDIS_URL, uniqueName, clearRedisNamespace } from '@midas/testing';
import { LeasedLimiter } from '../src/leased-limiter';

describe('leased rate limiter', () => {
  const namespace = `${uniqueName('lease')}-`;
  const connections: Redis[] = [];
  const connect = () => {
    const r = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    connections.push(r);
    return r.connect().then(() => r);
  };

  afterAll(async () => {
    for (const r of connections) r.disconnect();
    await clearRedisNamespace(namespace);
  });

  /** Sends `total` requests for one key, in concurrent batches, to replicas picked at random. */
  async function drive(replicas: LeasedLimiter[], key: string, total: number, batch = 10) {
    let allowed = 0;
    for (let sent = 0; sent < total; sent += batch) {
      const verdicts = await Promise.all(
        Array.from({ length: Math.min(batch, total - sent) }, () =>
          replicas[Math.floor(Math.random() * replicas.length)]!.consume(key),
        ),
      );
      allowed += verdicts.filter((v) => v.allowed).length;
    }
    return allowed;
  }

  it('holds a budget within 10 % across two replicas, never above it, with far fewer Redis calls', async () => {
    const prefix = `${namespace}rl:user`;
    const a = new LeasedLimiter(await connect(), prefix, 600);
    const b = new LeasedLimiter(await connect(), prefix, 600);
    for (const key of ['sub:one', 'sub:two', 'sub:three']) {
      const before = a.redisCalls + b.redisCalls;
      const allowed = await drive([a, b], key, 900);
      expect(allowed).toBeLessThanOrEqual(600);
      expect(allowed).toBeGreaterThanOrEqual(540);
      // One request in ten or fewer asked Redis; the rest were served from a slice.
      expect(a.redisCalls + b.redisCalls - before).toBeLessThan(90);
    }
    // The count in Redis is the budget's, whatever the replicas held unspent.
    const counted = Number(await connections[0]!.get(`${prefix}:sub:one`));
    expect(counted).toBeLessThanOrEqual(600);
    expect(counted).toBeGreaterThanOrEqual(540);
  });

  it('is exact for small budgets: one point per lease, the first refusal right after the budget', async () => {
    const prefix = `${namespace}rl:guest`;
    const a = new LeasedLimiter(await connect(), prefix, 5);
    const b = new LeasedLimiter(await connect(), prefix, 5);
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push(await (i % 2 ? a : b).consume('ip:192.0.2.1'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(verdicts[7]!.msBeforeNext).toBeGreaterThan(0);
    expect(verdicts[7]!.msBeforeNext).toBeLessThanOrEqual(60_000);
    // A spent key is refused from memory: no further Redis call.
    const calls = a.redisCalls;
    await a.consume('ip:192.0.2.1');
    expect(a.redisCalls).toBe(calls);
  });

  it('with one replica lets exactly the budget through, then refuses', async () => {
    const a = new LeasedLimiter(await connect(), `${namespace}rl:solo`, 120);
    expect(await drive([a], 'ip:198.51.100.3', 200, 20)).toBe(120);
    expect(a.redisCalls).toBeLessThan(60);
  });

  it('starts a new window when the old one ends in Redis', async () => {
    const a = new LeasedLimiter(await connect(), `${namespace}rl:short`, 40, 1);
    expect(await drive([a], 'k', 60)).toBe(40);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await drive([a], 'k', 10)).toBe(10);
  });

  it('limits each replica on its own while Redis does not answer', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    connections.push(down);
    const a = new LeasedLimiter(down, `${namespace}rl:down`, 3);
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push((await a.consume('k')).allowed);
    expect(verdicts).toEqual([true, true, true, false, false]);
  });
});
