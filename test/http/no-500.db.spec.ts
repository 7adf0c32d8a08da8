import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { routesOf } from '../../src/app.factory';
import { login, signUp } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

/** Property: whatever a caller sends to whatever route, the answer is never a 500. */
describeDb('no input causes a 500', () => {
  let t: TestApp;
  let token: string;
  let rootId: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = (await signUp(t.app, 'fuzz@example.com')).accessToken;
    rootId = (
      await t.app.inject({ method: 'POST', url: '/api/roots', headers: { authorization: `Bearer ${token}` }, payload: { name: 'Fuzz' } })
    ).json().id;
  });
  afterAll(async () => t?.close());

  const idArb = fc.oneof(
    fc.constant('ROOT'),
    fc.uuid(),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('0', '-1', '%00', '..', 'null', 'undefined', "' OR 1=1 --", 'a'.repeat(199)),
  );
  const bodyArb = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'name', 'type', 'description', 'deadline', 'completed', 'email', 'password', 'currentPassword', 'newPassword', 'displayName', 'refreshToken', 'isActive', 'role', 'rootId', 'id', '__proto__', 'constructor',
        // The goal tree's fields.
        'parentId', 'position', 'sortOrder', 'relevance', 'activityId', 'kind', 'conditions', 'count', 'periodDays', 'from', 'to', 'color', 'icon', 'maxChildren', 'defaultDeadlineOffsetDays', 'autoCompleteWhenChildrenDone',
      ),
      fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double(), fc.array(fc.string(), { maxLength: 3 })),
    ),
  );
  const queryArb = fc.dictionary(fc.constantFrom('limit', 'cursor', 'x', 'limit[]'), fc.string({ maxLength: 30 }), { maxKeys: 3 });

  it('holds for every route, with random ids, bodies and query strings', async () => {
    const routes = routesOf(t.app).filter((r) => !['HEAD', 'OPTIONS'].includes(r.method));
    // logout-all ends the token it is called with: every run there, and every route after it, gets a fresh one.
    const freshToken = async () => (await login(t.app, 'fuzz@example.com')).json().accessToken as string;
    for (const route of routes) {
      token = await freshToken();
      await fc.assert(
        fc.asyncProperty(idArb, bodyArb, queryArb, fc.boolean(), async (id, body, query, asText) => {
          if (route.url.endsWith('/logout-all')) token = await freshToken();
          const url = route.url.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(id === 'ROOT' ? rootId : id));
          const qs = new URLSearchParams(query).toString();
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            headers: {
              authorization: `Bearer ${token}`,
              ...(asText ? { 'content-type': 'text/plain' } : {}),
            },
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: asText ? JSON.stringify(body) : (body as object) }),
          });
          if (res.statusCode >= 500) throw new Error(`${route.method} ${url}?${qs} -> ${res.statusCode} ${res.body}`);
          return true;
        }),
        { numRuns: 25, seed: 42 },
      );
    }
    // 25 runs of every route of the app (over a hundred): minutes, not seconds, on a loaded machine.
  }, 300_000);

  it('answers a malformed JSON body and an oversized body with 4xx in the shared shape', async () => {
    token = (await login(t.app, 'fuzz@example.com')).json().accessToken;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const broken = await t.app.inject({ method: 'POST', url: '/api/roots', headers: auth, payload: '{"name": "x",' });
    expect(broken.statusCode).toBe(400);
    expect(Object.keys(broken.json()).sort()).toEqual(['error', 'message', 'statusCode']);
    const huge = await t.app.inject({ method: 'POST', url: '/api/roots', headers: auth, payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ statusCode: 413 });
    const unknownId = await t.app.inject({ method: 'GET', url: `/api/roots/${randomUUID()}`, headers: auth });
    expect(unknownId.statusCode).toBe(404);
  });
});
