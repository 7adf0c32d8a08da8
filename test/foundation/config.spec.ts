import * as path from 'node:path';
import { APP_ENVS, ConfigError, DEV_JWT_SECRET, describeTarget, loadConfig, resolveAppEnv, resolveDatabase } from '../../src/config/env';

const CWD = '/srv/fractal';
const GOOD_SECRET = 'a-production-secret-of-at-least-32-characters';

describe('configuration', () => {
  describe('APP_ENV', () => {
    it('unset or empty means development, never production', () => {
      expect(resolveAppEnv({})).toBe('development');
      expect(resolveAppEnv({ APP_ENV: '' })).toBe('development');
    });

    it.each(APP_ENVS)('accepts %s exactly', (value) => {
      expect(resolveAppEnv({ APP_ENV: value })).toBe(value);
    });

    it.each(['prod', 'dev ', ' production', 'Production', 'PRODUCTION', 'dev', 'staging', 'development\n'])(
      'refuses %j with a message listing the valid values',
      (value) => {
        expect(() => resolveAppEnv({ APP_ENV: value })).toThrow(ConfigError);
        expect(() => resolveAppEnv({ APP_ENV: value })).toThrow(/Valid values: development, test, production/);
        expect(() => loadConfig({ APP_ENV: value }, CWD)).toThrow(/Valid values: development, test, production/);
      },
    );
  });

  describe('the database of each environment', () => {
    it.each([
      [{}, 'data/goals_dev.db'],
      [{ APP_ENV: 'development' }, 'data/goals_dev.db'],
      [{ APP_ENV: 'test' }, 'data/goals_test.db'],
      [{ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET }, 'data/goals.db'],
    ])('%j uses %s, relative to the working directory', (env, file) => {
      const config = loadConfig(env, CWD);
      expect(config.database).toEqual({ engine: 'sqlite', location: path.join(CWD, file), display: `sqlite ${path.join(CWD, file)}` });
      expect(describeTarget(config)).toBe(`environment=${config.appEnv} database=sqlite ${path.join(CWD, file)}`);
    });

    it('only APP_ENV=production resolves to data/goals.db', () => {
      for (const env of [{}, { APP_ENV: 'development' }, { APP_ENV: 'test' }]) {
        expect(resolveDatabase(env, CWD).location).not.toBe(path.join(CWD, 'data/goals.db'));
      }
    });

    it('DATABASE_PATH overrides the file, absolute or relative', () => {
      expect(resolveDatabase({ DATABASE_PATH: '/tmp/x.db' }, CWD).location).toBe('/tmp/x.db');
      expect(resolveDatabase({ APP_ENV: 'test', DATABASE_PATH: 'other/y.db' }, CWD).location).toBe(path.join(CWD, 'other/y.db'));
    });

    it('DATABASE_URL selects PostgreSQL, and the printed target masks the password', () => {
      const db = resolveDatabase({ DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/goals' }, CWD);
      expect(db.engine).toBe('postgres');
      expect(db.location).toBe('postgres://app:s3cret@db.internal:5432/goals');
      expect(db.display).toBe('postgres postgres://app:***@db.internal:5432/goals');
      expect(db.display).not.toContain('s3cret');
    });

    it('refuses both overrides at once, and a DATABASE_URL that is not PostgreSQL', () => {
      expect(() => resolveDatabase({ DATABASE_URL: 'postgres://x@h/db', DATABASE_PATH: 'a.db' }, CWD)).toThrow(ConfigError);
      expect(() => resolveDatabase({ DATABASE_URL: 'mysql://x@h/db' }, CWD)).toThrow(/postgres/);
      expect(() => resolveDatabase({ DATABASE_URL: 'sqlite:data/goals.db' }, CWD)).toThrow(ConfigError);
    });
  });

  describe('production secrets', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['the development default', DEV_JWT_SECRET],
      ['short', 'only-twenty-chars-xx'],
    ])('refuses a %s JWT_SECRET', (_label, JWT_SECRET) => {
      expect(() => loadConfig({ APP_ENV: 'production', JWT_SECRET }, CWD)).toThrow(/JWT_SECRET/);
    });

    it('accepts a real secret, and development falls back to the default one', () => {
      expect(loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET }, CWD).jwt.secret).toBe(GOOD_SECRET);
      expect(loadConfig({}, CWD).jwt.secret).toBe(DEV_JWT_SECRET);
    });
  });

  describe('numbers are validated at start', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PG_POOL_SIZE', '0'],
      ['JWT_ACCESS_TTL_SECONDS', '3600'],
      ['PG_STATEMENT_TIMEOUT_MS', '1.5'],
      ['JWT_REFRESH_MAX_AGE_SECONDS', '10'],
    ])('%s=%s is refused, naming the variable', (name, value) => {
      expect(() => loadConfig({ [name]: value }, CWD)).toThrow(new RegExp(name));
    });

    it('defaults: port 3000', () => {
      expect(loadConfig({}, CWD).port).toBe(3000);
    });
  });

  describe('TRUST_PROXY', () => {
    it('trusts no proxy unless told which', () => {
      expect(loadConfig({}, CWD).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'false' }, CWD).trustProxy).toBe(false);
    });

    it('takes proxy addresses and ranges', () => {
      expect(loadConfig({ TRUST_PROXY: ' 10.0.0.1, 192.168.0.0/16 ,::1,loopback' }, CWD).trustProxy).toBe('10.0.0.1,192.168.0.0/16,::1,loopback');
    });

    it.each(['true', '1', '2', 'proxy.example.com', '10.0.0.1;rm'])('refuses %j, listing what it takes', (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value }, CWD)).toThrow(/Invalid TRUST_PROXY .*Valid values: false, or proxy addresses/);
    });
  });

  describe('CORS_ORIGINS', () => {
    it('allows no origin by default', () => {
      expect(loadConfig({}, CWD).cors.origins).toEqual([]);
      expect(loadConfig({ CORS_ORIGINS: ' ' }, CWD).cors.origins).toEqual([]);
    });

    it('takes exact origins, comma-separated, in the form browsers send', () => {
      expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173,' }, CWD).cors.origins).toEqual([
        'https://app.example.com',
        'http://localhost:5173',
      ]);
      expect(loadConfig({ CORS_ORIGINS: 'https://App.Example.com:443' }, CWD).cors.origins).toEqual(['https://app.example.com']);
    });

    it('takes * outside production', () => {
      expect(loadConfig({ CORS_ORIGINS: '*' }, CWD).cors.origins).toBe('*');
      expect(loadConfig({ APP_ENV: 'test', CORS_ORIGINS: ' * ' }, CWD).cors.origins).toBe('*');
    });

    it('refuses * in production, naming the variable', () => {
      expect(() => loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET, CORS_ORIGINS: '*' }, CWD)).toThrow(ConfigError);
      expect(() => loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET, CORS_ORIGINS: '*' }, CWD)).toThrow(/CORS_ORIGINS=\* is refused in production/);
      expect(loadConfig({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET, CORS_ORIGINS: 'https://app.example.com' }, CWD).cors.origins).toEqual([
        'https://app.example.com',
      ]);
    });

    it.each([
      'https://app.example.com/',
      'https://app.example.com/path',
      'app.example.com',
      '*.example.com',
      'https://*.example.com',
      'null',
      'ftp://files.example.com',
      'https://user@app.example.com',
      'https://app.example.com?x=1',
      'https://app.example.com, *',
      'https://app.example.com:99999',
    ])('refuses %j, naming the variable', (value) => {
      expect(() => loadConfig({ CORS_ORIGINS: value }, CWD)).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: value }, CWD)).toThrow(/CORS_ORIGINS/);
    });
  });

  describe('HTTP timeouts', () => {
    it('default to what a reverse proxy expects: keep-alive longer than its 60 s idle timeout', () => {
      expect(loadConfig({}, CWD).http).toEqual({ requestTimeoutMs: 30000, connectionTimeoutMs: 60000, keepAliveTimeoutMs: 72000 });
    });

    it('are configurable', () => {
      const env = { HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_CONNECTION_TIMEOUT_MS: '20000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000' };
      expect(loadConfig(env, CWD).http).toEqual({ requestTimeoutMs: 5000, connectionTimeoutMs: 20000, keepAliveTimeoutMs: 65000 });
    });

    it.each([
      ['HTTP_REQUEST_TIMEOUT_MS', '0'],
      ['HTTP_REQUEST_TIMEOUT_MS', 'abc'],
      ['HTTP_CONNECTION_TIMEOUT_MS', '0'],
      ['HTTP_CONNECTION_TIMEOUT_MS', '-1'],
      ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '1.5'],
      ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '99999999'],
    ])('%s=%s is refused, naming the variable: none may be switched off', (name, value) => {
      expect(() => loadConfig({ [name]: value }, CWD)).toThrow(new RegExp(name));
    });
  });
});
