import { GUARDS_METADATA, INTERCEPTORS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { TENANT_ROUTE, TenantGuard } from '../../src/tenancy/tenant.guard';
import { TransactionInterceptor } from '../../src/tenancy/transaction.interceptor';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

interface Handler {
  path: string;
  marked: boolean;
  guards: unknown[];
  interceptors: unknown[];
}

/** Every route handler of the app, with the tenancy metadata that applies to it. */
function handlersOf(t: TestApp): Handler[] {
  const out: Handler[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const method = controller.prototype[name as keyof object] as unknown;
        if (name === 'constructor' || typeof method !== 'function' || Reflect.getMetadata(PATH_METADATA, method) === undefined) continue;
        const on = (key: string) => [...(Reflect.getMetadata(key, controller) ?? []), ...(Reflect.getMetadata(key, method) ?? [])];
        out.push({
          path: `${base}/${String(Reflect.getMetadata(PATH_METADATA, method))}`,
          marked: Boolean(Reflect.getMetadata(TENANT_ROUTE, method) ?? Reflect.getMetadata(TENANT_ROUTE, controller)),
          guards: on(GUARDS_METADATA),
          interceptors: on(INTERCEPTORS_METADATA),
        });
      }
    }
  }
  return out;
}

/**
 * On PostgreSQL the authentication guard leaves a tenant route's check to the transaction
 * interceptor. A route marked as a tenant route without that interceptor would fail closed (a
 * context with no user); this suite makes it a failing test instead of a failing request.
 */
describeDb('tenant routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('every route under /api/roots/:rootId is a tenant route, with the tenant guard and the transaction interceptor', () => {
    const handlers = handlersOf(t);
    const underRoot = handlers.filter((h) => h.path.replace(/^\/+/, '').startsWith('api/roots/:rootId'));
    expect(underRoot.length).toBeGreaterThan(3);
    for (const h of handlers.filter((x) => x.marked || underRoot.includes(x))) {
      expect({ path: h.path, marked: h.marked, guarded: h.guards.includes(TenantGuard), inTransaction: h.interceptors.includes(TransactionInterceptor) }).toEqual({
        path: h.path,
        marked: true,
        guarded: true,
        inTransaction: true,
      });
    }
  });
});
