import { randomUUID } from 'node:crypto';
import { Goal } from '../../src/goals/goal.entity';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, me, signUp } from './helpers';

describeDb('POST /api/auth/logout-all: log out on every device', () => {
  let t: TestApp;
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const logoutAll = (accessToken: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { authorization: `Bearer ${accessToken}` } });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('ends every login of the account, access tokens included, on plain and tenant routes alike', async () => {
    const phone = await signUp(t.app, 'fay@example.com');
    const laptop = (await login(t.app, 'fay@example.com')).json();
    const other = await signUp(t.app, 'gus@example.com');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/roots',
      headers: { authorization: `Bearer ${laptop.accessToken}` },
      payload: { name: 'Run a marathon' },
    });
    expect(created.statusCode).toBe(201);
    const root = `/api/roots/${created.json().id}`;
    expect((await t.app.inject({ method: 'GET', url: root, headers: { authorization: `Bearer ${phone.accessToken}` } })).statusCode).toBe(200);

    const res = await logoutAll(phone.accessToken);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    for (const pair of [phone, laptop]) {
      expect((await me(t.app, `Bearer ${pair.accessToken}`)).statusCode).toBe(401);
      const tenant = await t.app.inject({ method: 'GET', url: root, headers: { authorization: `Bearer ${pair.accessToken}` } });
      expect(tenant.statusCode).toBe(401);
      expect(tenant.json().message).toBe('Invalid or expired access token.');
      expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    }
    // The account itself is fine: a new login works, and sees its root.
    const again = (await login(t.app, 'fay@example.com')).json();
    expect((await t.app.inject({ method: 'GET', url: root, headers: { authorization: `Bearer ${again.accessToken}` } })).statusCode).toBe(200);
    expect((await refresh(again.refreshToken)).statusCode).toBe(200);
    // Another account is untouched.
    expect((await me(t.app, `Bearer ${other.accessToken}`)).statusCode).toBe(200);
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
    expect(await t.db.dataSource.getRepository(Goal).countBy({ id: created.json().id })).toBe(1);
  });

  it('needs an access token, and a logged-out one cannot call it again', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout-all' })).statusCode).toBe(401);
    const pair = await signUp(t.app, `hal-${randomUUID().slice(0, 8)}@example.com`);
    expect((await logoutAll(pair.accessToken)).statusCode).toBe(204);
    expect((await logoutAll(pair.accessToken)).statusCode).toBe(401);
  });

});
