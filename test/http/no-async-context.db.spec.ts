import * as asyncHooks from 'node:async_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signUp } from '../auth/helpers';
import { createMigratedDatabase, describeDb, ENGINE } from '../helpers/db';

/**
 * The request context is passed explicitly (DEVELOPERS.md): one AsyncLocalStorage.run() per
 * request, from a logger or anything else, turns on V8's promise hooks for the whole process
 * and costs every await of every request. The spies are in place before the app's modules
 * load, so they see every store and every hook the app could create. jest-circus runs each test
 * and hook in a store of its own, before their bodies: those calls are not counted.
 */
describeDb(`no async context while serving requests (${ENGINE})`, () => {
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  const entered: string[] = [];
  const hooks = { created: 0, enabled: 0 };
  let atStartup: { entered: string[]; hooks: typeof hooks } | undefined;

  beforeAll(async () => {
    const storage = asyncHooks.AsyncLocalStorage.prototype;
    for (const method of ['run', 'enterWith'] as const) {
      const original = storage[method] as (...args: unknown[]) => unknown;
      jest.spyOn(storage, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
        entered.push(method);
        return original.apply(this, args);
      } as never);
    }
    const createHook = asyncHooks.createHook;
    jest.spyOn(asyncHooks, 'createHook').mockImplementation((callbacks) => {
      hooks.created++;
      const hook = createHook(callbacks);
      const enable = hook.enable.bind(hook);
      hook.enable = () => {
        hooks.enabled++;
        return enable();
      };
      return hook;
    });
    const { createApp } = await import('../../src/app.factory');
    const db = await createMigratedDatabase({ LOG_LEVEL: 'info' });
    app = await createApp({ config: db.config, dataSource: db.dataSource, logDestination: { write: () => true } as never });
    drop = async () => {
      await app.close();
      await db.drop();
    };
    atStartup = { entered: [...entered], hooks: { ...hooks } };
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await drop?.();
  });

  it('enters no AsyncLocalStorage and enables no async hook, from startup through requests that log', async () => {
    expect(atStartup).toEqual({ entered: [], hooks: { created: 0, enabled: 0 } });
    entered.length = 0;
    const { accessToken } = await signUp(app, 'no-als@example.com');
    const headers = { authorization: `Bearer ${accessToken}` };
    const created = await app.inject({ method: 'POST', url: '/api/roots', headers, payload: { name: 'Mine' } });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/api/roots', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/roots', headers, payload: { name: 7 } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/nowhere', headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/roots' })).statusCode).toBe(401);

    expect(entered).toEqual([]);
    expect(hooks).toEqual({ created: 0, enabled: 0 });
  });
});
