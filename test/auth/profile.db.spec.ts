import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, me, PASSWORD, register, signUp } from './helpers';

describeDb('PATCH /api/auth/me: a user changes their own profile', () => {
  let t: TestApp;
  const patch = (accessToken: string, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { authorization: `Bearer ${accessToken}` }, payload: payload as object });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('sets the display name (trimmed), clears it with null, and touches nobody else', async () => {
    const { accessToken } = await signUp(t.app, 'kim@example.com');
    const other = await signUp(t.app, 'lou@example.com');
    const set = await patch(accessToken, { displayName: '  Kim  ' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ email: 'kim@example.com', displayName: 'Kim', role: 'user' });
    expect(set.json()).not.toHaveProperty('passwordHash');
    expect((await me(t.app, `Bearer ${accessToken}`)).json().displayName).toBe('Kim');

    const cleared = await patch(accessToken, { displayName: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().displayName).toBeNull();
    expect((await me(t.app, `Bearer ${other.accessToken}`)).json().displayName).toBeNull();
  });

  it.each([
    ['no displayName', {}, 'displayName'],
    ['an empty displayName', { displayName: '   ' }, 'displayName'],
    ['a displayName over 200 characters', { displayName: 'd'.repeat(201) }, 'displayName'],
    ['a number', { displayName: 42 }, 'displayName'],
    ['a field that is not the profile', { displayName: 'Max', email: 'other@example.com' }, 'email'],
  ])('refuses %s with a 400 naming the field, and changes nothing', async (label, payload, field) => {
    const email = `${label.replace(/\W+/g, '-').toLowerCase()}@example.com`;
    await register(t.app, email, PASSWORD, { displayName: 'Before' });
    const { accessToken } = (await login(t.app, email)).json();
    const res = await patch(accessToken, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await me(t.app, `Bearer ${accessToken}`)).json()).toMatchObject({ email, displayName: 'Before' });
  });

  it('needs an access token', async () => {
    expect((await t.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { displayName: 'Nobody' } })).statusCode).toBe(401);
  });
});
