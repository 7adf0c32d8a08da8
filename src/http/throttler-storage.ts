import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';
import { AppConfig } from '../config/env';

/**
 * One fixed window per key and throttler, and a block once the limit is passed, in one atomic
 * script so that concurrent instances count every hit exactly once.
 * KEYS: hits, block. ARGV: ttl ms, limit, block ms. Returns hits, ms to expire, blocked, ms to unblock.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local blockTtl = redis.call('PTTL', KEYS[2])
local blocked = 0
if blockTtl > 0 then
  blocked = 1
elseif hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = 1
  blockTtl = tonumber(ARGV[3])
else
  blockTtl = 0
end
return { hits, ttl, blocked, blockTtl }
`;

/**
 * Rate-limit counters shared by every instance through Redis. Should Redis fail, the limits
 * fall back to this process's memory (still enforced, per instance) rather than to no limit
 * or to a 500, and a warning says so.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new ThrottlerStorageService();
  private lastWarning = 0;

  constructor(
    readonly redis: Redis,
    private readonly prefix = 'fg:throttle:',
  ) {
    redis.defineCommand('fgThrottle', { numberOfKeys: 2, lua: INCREMENT });
    // Connection errors surface in increment(); without a listener ioredis would also log them unhandled.
    redis.on('error', () => undefined);
  }

  static fromUrl(url: string): RedisThrottlerStorage {
    return new RedisThrottlerStorage(
      new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }),
    );
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    try {
      const [hits, ttlMs, blocked, blockMs] = (await (
        this.redis as unknown as { fgThrottle(...a: (string | number)[]): Promise<number[]> }
      ).fgThrottle(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration > 0 ? blockDuration : ttl)) as number[];
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(ttlMs / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockMs / 1000),
      };
    } catch (err) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`Redis unavailable for rate limits (${(err as Error).message}); counting in this process only.`);
      }
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.fallback.onApplicationShutdown?.();
    if (this.redis.status === 'end') return;
    // quit() resolves on the server's OK; the socket closes just after. Wait for it, briefly.
    const ended = new Promise((resolve) => this.redis.once('end', resolve));
    await this.redis.quit().catch(() => this.redis.disconnect());
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}

/** Redis when REDIS_URL is set (several instances share the limits); otherwise undefined: the in-memory default. */
export function createThrottlerStorage(config: Pick<AppConfig, 'redisUrl'>): ThrottlerStorage | undefined {
  return config.redisUrl ? RedisThrottlerStorage.fromUrl(config.redisUrl) : undefined;
}
