import { isIP } from 'node:net';
import * as path from 'node:path';

export const APP_ENVS = ['development', 'test', 'production'] as const;
export type AppEnv = (typeof APP_ENVS)[number];
export type DbEngine = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  engine: DbEngine;
  /** File path for SQLite, connection URL for PostgreSQL. */
  location: string;
  /** Printable form, with any password masked. */
  display: string;
}

export interface AppConfig {
  appEnv: AppEnv;
  port: number;
  database: DatabaseTarget;
  /**
   * PostgreSQL only: the owner's connection for migrations (MIGRATION_DATABASE_URL), when the
   * service itself connects as the unprivileged fractal_app role. Unset: migrations use database.
   */
  migrationDatabase?: DatabaseTarget;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlSeconds: number; refreshMaxAgeSeconds: number; refreshReuseGraceSeconds: number };
  /** Login and register attempts allowed per window, per client IP and per account (email). */
  authRateLimit: { perIp: number; perAccount: number; ttlSeconds: number };
  logLevel: string;
  redisUrl?: string;
  /**
   * Which proxies may name the client in X-Forwarded-For (Fastify's trustProxy): none, or
   * their addresses. The per-IP rate limit counts the address it yields.
   */
  trustProxy: false | string;
  pg: { poolSize: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number };
  /** Browser clients on other origins: exact origins, or '*' (any, refused in production). None by default. */
  cors: { origins: '*' | string[] };
  /** Node's server timeouts, so that no client can hold a connection open for ever. */
  http: { requestTimeoutMs: number; connectionTimeoutMs: number; keepAliveTimeoutMs: number };
  /** How long a deletion stays in the trash before npm run trash:purge removes it for good. */
  trashRetentionDays: number;
  /**
   * Per process: how many bytes of answers (the analytics series) may be kept while their root's
   * version holds (src/tenancy/root-answers.ts). 0 keeps none.
   */
  answerCacheBytes: number;
}

export class ConfigError extends Error {}

/** Only used outside production; production refuses to start with it. */
export const DEV_JWT_SECRET = 'dev-only-insecure-secret-change-me-0000';

const DEFAULT_FILES: Record<AppEnv, string> = {
  development: 'data/goals_dev.db',
  test: 'data/goals_test.db',
  production: 'data/goals.db',
};

/**
 * The one place that decides which environment and which database a process uses.
 * An unset APP_ENV means development: the seed report's first failure was a script
 * that silently defaulted to production.
 */
export function resolveAppEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const raw = env.APP_ENV;
  if (raw === undefined || raw === '') return 'development';
  if ((APP_ENVS as readonly string[]).includes(raw)) return raw as AppEnv;
  throw new ConfigError(
    `Invalid APP_ENV ${JSON.stringify(raw)}. Valid values: ${APP_ENVS.join(', ')} (unset means development).`,
  );
}

export function resolveEngine(env: NodeJS.ProcessEnv = process.env): DbEngine {
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (env.DB_ENGINE === undefined || env.DB_ENGINE === '' || env.DB_ENGINE === 'sqlite') return 'sqlite';
  if (env.DB_ENGINE === 'postgres') return 'postgres';
  throw new ConfigError(`Invalid DB_ENGINE ${JSON.stringify(env.DB_ENGINE)}. Valid values: sqlite, postgres.`);
}

export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

export function resolveDatabase(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DatabaseTarget {
  const appEnv = resolveAppEnv(env);
  const engine = resolveEngine(env);
  if (env.DATABASE_URL && env.DATABASE_PATH) {
    throw new ConfigError('Set either DATABASE_URL or DATABASE_PATH, not both.');
  }
  if (engine === 'postgres') {
    const url = env.DATABASE_URL || env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
    if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL must start with postgres://');
    return { engine, location: url, display: `postgres ${maskUrl(url)}` };
  }
  if (env.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL; use DATABASE_PATH for a SQLite file.');
  }
  const file = env.DATABASE_PATH || DEFAULT_FILES[appEnv];
  const location = file === ':memory:' ? file : path.resolve(cwd, file);
  return { engine, location, display: `sqlite ${location}` };
}

export function resolveMigrationDatabase(env: NodeJS.ProcessEnv, database: DatabaseTarget): DatabaseTarget | undefined {
  const url = env.MIGRATION_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (database.engine !== 'postgres') {
    throw new ConfigError('MIGRATION_DATABASE_URL is for PostgreSQL only; SQLite migrates the DATABASE_PATH file.');
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('MIGRATION_DATABASE_URL must start with postgres://');
  return { engine: 'postgres', location: url, display: `postgres ${maskUrl(url)}` };
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(value: string): boolean {
  if (PROXY_KEYWORDS.has(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: unset or 'false' trusts no proxy; otherwise the proxies' addresses or CIDR
 * ranges (or proxy-addr's loopback, linklocal, uniquelocal), comma-separated. 'true' and hop
 * counts are refused: they trust a peer without knowing it, so any client could name itself
 * in X-Forwarded-For and escape the per-IP limits.
 */
function trustProxyVar(env: NodeJS.ProcessEnv): false | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.every(isProxyAddress)) return parts.join(',');
  throw new ConfigError(
    `Invalid TRUST_PROXY ${JSON.stringify(raw)}. Valid values: false, or proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated.`,
  );
}

/** scheme://host[:port]: a host name or an IP address, nothing else (no wildcard, path or credentials). */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/i;

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * CORS_ORIGINS: comma-separated origins (scheme://host[:port], as browsers send them in Origin),
 * or '*' outside production. An origin names a client that may read answers with a user's
 * token, so a typo must stop the start rather than silently allow or block it.
 */
function corsOriginsVar(env: NodeJS.ProcessEnv, appEnv: AppEnv): '*' | string[] {
  const parts = (env.CORS_ORIGINS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.includes('*')) {
    if (parts.length > 1) throw new ConfigError('CORS_ORIGINS is either * alone or a list of origins, not both.');
    if (appEnv === 'production') {
      throw new ConfigError('CORS_ORIGINS=* is refused in production: list the origins of your clients, comma-separated (https://app.example.com).');
    }
    return '*';
  }
  return parts.map((part) => {
    const url = ORIGIN.test(part) ? parseUrl(part) : undefined;
    if (!url) {
      throw new ConfigError(
        `Invalid CORS_ORIGINS entry ${JSON.stringify(part)}: an origin is http(s)://host[:port], without a path or a trailing slash (https://app.example.com).`,
      );
    }
    // The form browsers send: a lower-case host, no default port.
    return url.origin;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const appEnv = resolveAppEnv(env);
  const database = resolveDatabase(env, cwd);
  const secret = env.JWT_SECRET || (appEnv === 'production' ? '' : DEV_JWT_SECRET);
  if (appEnv === 'production' && (secret === '' || secret === DEV_JWT_SECRET || secret.length < 32)) {
    throw new ConfigError('Production needs JWT_SECRET: at least 32 characters and not the development default.');
  }
  return {
    appEnv,
    port: intVar(env, 'PORT', 3000, 0, 65535),
    database,
    migrationDatabase: resolveMigrationDatabase(env, database),
    jwt: {
      secret,
      issuer: env.JWT_ISSUER || 'fractal-goals-api',
      audience: env.JWT_AUDIENCE || 'fractal-goals',
      // Access tokens are short-lived by rule: at most 15 minutes.
      accessTtlSeconds: intVar(env, 'JWT_ACCESS_TTL_SECONDS', 900, 10, 900),
      refreshTtlSeconds: intVar(env, 'JWT_REFRESH_TTL_SECONDS', 30 * 24 * 3600, 60, 365 * 24 * 3600),
      // Rotation slides the refresh TTL forward; a login still ends this long after it began.
      refreshMaxAgeSeconds: intVar(env, 'JWT_REFRESH_MAX_AGE_SECONDS', 90 * 24 * 3600, 60, 2 * 365 * 24 * 3600),
      // Opt-in: how long a spent refresh token may be presented again (two tabs refreshing at
      // once) before it counts as stolen. 0, the default, treats every second use as theft.
      refreshReuseGraceSeconds: intVar(env, 'JWT_REFRESH_REUSE_GRACE_SECONDS', 0, 0, 60),
    },
    // Test suites register and log in many users from one address; the auth tests lower these.
    authRateLimit: {
      perIp: intVar(env, 'AUTH_RATE_LIMIT_IP', appEnv === 'test' ? 10000 : 20, 1, 1000000),
      perAccount: intVar(env, 'AUTH_RATE_LIMIT_ACCOUNT', appEnv === 'test' ? 10000 : 5, 1, 1000000),
      ttlSeconds: intVar(env, 'AUTH_RATE_TTL_SECONDS', 60, 1, 86400),
    },
    logLevel: env.LOG_LEVEL || (appEnv === 'test' ? 'silent' : 'info'),
    redisUrl: env.REDIS_URL || undefined,
    trustProxy: trustProxyVar(env),
    pg: {
      poolSize: intVar(env, 'PG_POOL_SIZE', 10, 1, 500),
      statementTimeoutMs: intVar(env, 'PG_STATEMENT_TIMEOUT_MS', 15000, 0, 3600000),
      idleInTransactionTimeoutMs: intVar(env, 'PG_IDLE_IN_TX_TIMEOUT_MS', 30000, 0, 3600000),
    },
    cors: { origins: corsOriginsVar(env, appEnv) },
    http: {
      // Headers and body must arrive within this; a body of BODY_LIMIT_BYTES needs far less.
      requestTimeoutMs: intVar(env, 'HTTP_REQUEST_TIMEOUT_MS', 30000, 1000, 3600000),
      // A socket with no traffic either way for this long is closed, mid-request or mid-answer.
      connectionTimeoutMs: intVar(env, 'HTTP_CONNECTION_TIMEOUT_MS', 60000, 1000, 3600000),
      // Longer than the 60 s idle timeout of common proxies and load balancers, so that the proxy
      // closes an idle upstream connection first and never reuses one this server has just closed.
      keepAliveTimeoutMs: intVar(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 72000, 1000, 3600000),
    },
    trashRetentionDays: intVar(env, 'TRASH_RETENTION_DAYS', 30, 0, 36500),
    answerCacheBytes: intVar(env, 'ANSWER_CACHE_MB', 64, 0, 65536) * 1024 * 1024,
  };
}

export function describeTarget(config: Pick<AppConfig, 'appEnv' | 'database'>): string {
  return `environment=${config.appEnv} database=${config.database.display}`;
}
