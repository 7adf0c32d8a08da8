import { User } from '../../src/auth/user.entity';
import { login, signUp } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

describeDb('admin', () => {
  let t: TestApp;
  let admin: string;
  let alice: { token: string; refreshToken: string; id: string; root: string };
  let bob: { token: string; id: string };
  const req = (token: string, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp();
    const adminTokens = await signUp(t.app, 'admin@example.com');
    await t.db.dataSource.getRepository(User).update({ email: 'admin@example.com' }, { role: 'admin' });
    admin = adminTokens.accessToken;
    const a = await signUp(t.app, 'alice@example.com');
    const aId = (await req(a.accessToken, 'GET', '/api/auth/me')).json().id;
    const root = (await req(a.accessToken, 'POST', '/api/roots', { name: 'Alice root' })).json().id;
    alice = { token: a.accessToken, refreshToken: a.refreshToken, id: aId, root };
    const b = await signUp(t.app, 'bob@example.com');
    bob = { token: b.accessToken, id: (await req(b.accessToken, 'GET', '/api/auth/me')).json().id };
  });
  afterAll(async () => t?.close());

  it('refuses non-admins with 403 before touching data', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/roots'],
      ['GET', '/api/admin/audit'],
      ['PATCH', `/api/admin/users/${bob.id}`],
      ['POST', `/api/admin/roots/${alice.root}/transfer`],
      ['POST', `/api/admin/users/${alice.id}/logout`],
    ]) {
      const res = await req(bob.token, method, url, method === 'GET' ? undefined : { isActive: false, email: 'bob@example.com' });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    const audit = (await req(admin, 'GET', '/api/admin/audit?limit=200')).json().items;
    expect(audit.filter((a: { actorUserId: string }) => a.actorUserId === bob.id)).toEqual([]);
  });

  it('reads across tenants, and every read leaves an audit row', async () => {
    const roots = await req(admin, 'GET', '/api/admin/roots?limit=200');
    expect(roots.statusCode).toBe(200);
    expect(roots.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ id: alice.root, ownerId: alice.id })]));
    const audit = (await req(admin, 'GET', '/api/admin/audit?limit=200')).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['roots.list', 'audit.list']));
  });

  it('hands a root to another user, audited, and the new owner reaches it', async () => {
    const res = await req(admin, 'POST', `/api/admin/roots/${alice.root}/transfer`, { email: 'Bob@Example.com' });
    expect(res.statusCode).toBe(201);
    expect((await req(bob.token, 'GET', `/api/roots/${alice.root}`)).statusCode).toBe(200);
    expect((await req(alice.token, 'GET', `/api/roots/${alice.root}`)).statusCode).toBe(404);
    const audit = (await req(admin, 'GET', '/api/admin/audit?limit=200')).json().items;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'roots.transfer', targetRootId: alice.root })]));
    expect((await req(admin, 'POST', `/api/admin/roots/${alice.root}/transfer`, { email: 'nobody@example.com' })).statusCode).toBe(404);
  });

  it('disables a user, who is refused on the next request, and whose logins enabling does not revive', async () => {
    expect((await req(alice.token, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const res = await req(admin, 'PATCH', `/api/admin/users/${alice.id}`, { isActive: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: alice.id, isActive: false });
    expect((await req(alice.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: alice.refreshToken } })).statusCode).toBe(401);

    expect((await req(admin, 'PATCH', `/api/admin/users/${alice.id}`, { isActive: true })).statusCode).toBe(200);
    expect((await req(alice.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: alice.refreshToken } })).statusCode).toBe(401);
    expect((await login(t.app, 'alice@example.com')).statusCode).toBe(200);
  });

  it('validates admin input, naming the field', async () => {
    const bad = await req(admin, 'PATCH', `/api/admin/users/${bob.id}`, { role: 'root' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('role');
    expect((await req(admin, 'PATCH', '/api/admin/users/not-a-uuid', { isActive: true })).statusCode).toBe(400);
  });

  it('logs a user out everywhere, access tokens included, audited', async () => {
    const elsewhere = (await login(t.app, 'bob@example.com')).json();
    const res = await req(admin, 'POST', `/api/admin/users/${bob.id}/logout`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: bob.id, endedLogins: 2 });
    for (const token of [bob.token, elsewhere.accessToken]) expect((await req(token, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: elsewhere.refreshToken } })).statusCode).toBe(401);
    expect((await req(admin, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await login(t.app, 'bob@example.com')).statusCode).toBe(200);

    const audit = (await req(admin, 'GET', '/api/admin/audit?limit=200')).json().items;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'users.logout' })]));
    expect((await req(admin, 'POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/logout')).statusCode).toBe(404);
    expect((await req(admin, 'POST', '/api/admin/users/not-a-uuid/logout')).statusCode).toBe(400);
  });
});
