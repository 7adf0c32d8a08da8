import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createThrottlerStorage, RedisThrottlerStorage } from '../../src/http/throttler-storage';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Checked once, synchronously, so that the suite can skip (and say so) when Redis is not there. */
function redisReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  try {
    execFileSync(
      process.execPath,
      ['-e', `const s=require('net').connect(${Number(port) || 6379},'${hostname}');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),1500)`],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
}

const REDIS = redisReachable(REDIS_URL);
if (!REDIS) console.log(`Redis unreachable at ${REDIS_URL}: the shared rate-limit suite is skipped.`);
const describeRedis = REDIS ? describe : describe.skip;

describe('createThrottlerStorage', () => {
  it('is the in-memory default without REDIS_URL, and Redis with it', async () => {
    expect(createThrottlerStorage({ redisUrl: undefined })).toBeUndefined();
    const storage = createThrottlerStorage({ redisUrl: 'redis://127.0.0.1:1' }) as RedisThrottlerStorage;
    expect(storage).toBeInstanceOf(RedisThrottlerStorage);
    await storage.onApplicationShutdown();
  });

  it('falls back to counting in this process when Redis is down: still limited, never an error', async () => {
    const storage = new RedisThrottlerStorage(
      new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true }),
    );
    try {
      const hits = [];
      for (let i = 0; i < 3; i++) hits.push(await storage.increment('k', 60_000, 2, 60_000, 'ip'));
      expect(hits.map((h) => h.isBlocked)).toEqual([false, false, true]);
      expect(hits[2].timeToBlockExpire).toBeGreaterThan(0);
    } finally {
      await storage.onApplicationShutdown();
    }
  });
});

describeRedis('RedisThrottlerStorage: limits shared by instances', () => {
  const prefix = `fg:test:${randomBytes(4).toString('hex')}:`;
  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;

  beforeAll(() => {
    // Two clients, as two API instances would have.
    a = new RedisThrottlerStorage(new Redis(REDIS_URL), prefix);
    b = new RedisThrottlerStorage(new Redis(REDIS_URL), prefix);
  });
  afterAll(async () => {
    const keys = await a.redis.keys(`${prefix}*`);
    if (keys.length) await a.redis.del(...keys);
    await a.onApplicationShutdown();
    await b.onApplicationShutdown();
    expect(a.redis.status).toBe('end');
  });

  it('counts hits from both instances in one window, and blocks on either once over the limit', async () => {
    const r1 = await a.increment('login:ip:1', 10_000, 3, 5_000, 'ip');
    const r2 = await b.increment('login:ip:1', 10_000, 3, 5_000, 'ip');
    const r3 = await a.increment('login:ip:1', 10_000, 3, 5_000, 'ip');
    const r4 = await b.increment('login:ip:1', 10_000, 3, 5_000, 'ip');
    expect([r1, r2, r3, r4].map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(r1.timeToExpire).toBe(10);
    expect(r4.timeToBlockExpire).toBe(5);
    expect((await a.increment('login:ip:1', 10_000, 3, 5_000, 'ip')).isBlocked).toBe(true);
  });

  it('counts concurrent hits exactly once each', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).increment('burst', 10_000, 1000, 1000, 'ip')),
    );
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('keeps keys and throttlers apart', async () => {
    await a.increment('k1', 10_000, 1, 10_000, 'ip');
    expect((await a.increment('k2', 10_000, 1, 10_000, 'ip')).totalHits).toBe(1);
    expect((await b.increment('k1', 10_000, 1, 10_000, 'account')).totalHits).toBe(1);
  });

  it('opens again when the window and the block have passed', async () => {
    expect((await a.increment('short', 200, 1, 200, 'ip')).isBlocked).toBe(false);
    expect((await b.increment('short', 200, 1, 200, 'ip')).isBlocked).toBe(true);
    await new Promise((r) => setTimeout(r, 350));
    const after = await a.increment('short', 200, 1, 200, 'ip');
    expect([after.totalHits, after.isBlocked]).toEqual([1, false]);
  });
});
