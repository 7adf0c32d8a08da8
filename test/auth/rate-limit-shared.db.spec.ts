import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { getStorageToken } from '@nestjs/throttler';
import type { RedisThrottlerStorage } from '../../src/http/throttler-storage';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, PASSWORD } from './helpers';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

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
if (!REDIS) console.log(`Redis unreachable at ${REDIS_URL}: the shared auth rate-limit suite is skipped.`);

(REDIS ? describeDb : describe.skip)('rate limits shared by two API instances through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  // Redis outlives the test and is shared by parallel workers: fresh emails and addresses per run.
  const run = randomBytes(4).toString('hex');
  const ipPrefix = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  /** The storage sends nothing before its connection is ready (it counts in memory meanwhile). */
  async function redisReady(t: TestApp): Promise<void> {
    const { redis } = t.app.get(getStorageToken()) as RedisThrottlerStorage;
    expect(redis).toBeDefined();
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  }

  beforeAll(async () => {
    const env = { REDIS_URL, AUTH_RATE_LIMIT_IP: '3', AUTH_RATE_LIMIT_ACCOUNT: '2', AUTH_RATE_TTL_SECONDS: '30' };
    a = await createTestApp(env);
    b = await createTestApp(env);
    await redisReady(a);
    await redisReady(b);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts one account across both instances', async () => {
    const email = `shared-${run}@example.com`;
    expect((await login(a.app, email, PASSWORD, `${ipPrefix}.1`)).statusCode).toBe(401);
    expect((await login(b.app, email, PASSWORD, `${ipPrefix}.2`)).statusCode).toBe(401);
    const res = await login(a.app, email, PASSWORD, `${ipPrefix}.3`);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts one address across both instances', async () => {
    const ip = `${ipPrefix}.7`;
    expect((await login(a.app, `ip1-${run}@example.com`, PASSWORD, ip)).statusCode).toBe(401);
    expect((await login(b.app, `ip2-${run}@example.com`, PASSWORD, ip)).statusCode).toBe(401);
    expect((await login(a.app, `ip3-${run}@example.com`, PASSWORD, ip)).statusCode).toBe(401);
    expect((await login(b.app, `ip4-${run}@example.com`, PASSWORD, ip)).statusCode).toBe(429);
  });
});
