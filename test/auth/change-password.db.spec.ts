import { TokenService } from '../../src/auth/token.service';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, me, PASSWORD, signUp } from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

describeDb('POST /api/auth/password: a signed-in user changes their password', () => {
  let t: TestApp;
  const hashOf = async (email: string): Promise<string> =>
    (await t.db.dataSource.query(`SELECT password_hash FROM users WHERE email = '${email}'`))[0].password_hash;
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const change = (accessToken: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { authorization: `Bearer ${accessToken}` }, payload });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('sets the new password, ends every login of the account, and answers a new one for this client', async () => {
    const here = await signUp(t.app, 'ann@example.com');
    const elsewhere = (await login(t.app, 'ann@example.com')).json();
    const other = await signUp(t.app, 'ben@example.com');

    const res = await change(here.accessToken, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(200);
    const pair = res.json();
    expect(pair).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect((await me(t.app, `Bearer ${pair.accessToken}`)).json().email).toBe('ann@example.com');

    expect((await login(t.app, 'ann@example.com', PASSWORD)).statusCode).toBe(401);
    expect((await login(t.app, 'ann@example.com', NEW_PASSWORD)).statusCode).toBe(200);
    // Both earlier logins, this client's included, are over; the new one refreshes.
    expect((await refresh(here.refreshToken)).statusCode).toBe(401);
    expect((await refresh(elsewhere.refreshToken)).statusCode).toBe(401);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(200);
    // Another account is untouched.
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
    expect((await login(t.app, 'ben@example.com', PASSWORD)).statusCode).toBe(200);
    // The access tokens issued before the change are refused at once, however long they had to live.
    for (const old of [here.accessToken, elsewhere.accessToken]) {
      const res = await me(t.app, `Bearer ${old}`);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    }
    expect((await me(t.app, `Bearer ${other.accessToken}`)).statusCode).toBe(200);
  });

  it('refuses a wrong current password with a 400 naming the field, and changes nothing', async () => {
    const pair = await signUp(t.app, 'cat@example.com');
    const before = await hashOf('cat@example.com');
    const res = await change(pair.accessToken, { currentPassword: 'not the password', newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request: currentPassword',
      details: [{ field: 'currentPassword', message: 'currentPassword is not the password of this account' }],
    });
    expect(await hashOf('cat@example.com')).toBe(before);
    expect((await me(t.app, `Bearer ${pair.accessToken}`)).statusCode).toBe(200);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(200);
  });

  it.each([
    ['no body fields', {}, ['currentPassword', 'newPassword']],
    ['a short new password', { currentPassword: PASSWORD, newPassword: 'short' }, ['newPassword']],
    ['a new password over 256 characters', { currentPassword: PASSWORD, newPassword: 'x'.repeat(257) }, ['newPassword']],
    ['a number for a password', { currentPassword: 12345678901, newPassword: NEW_PASSWORD }, ['currentPassword']],
    ['an unknown field', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, email: 'x@example.com' }, ['email']],
    ['the same password again', { currentPassword: PASSWORD, newPassword: PASSWORD }, ['newPassword']],
  ])('refuses %s with a 400 naming the field, and changes nothing', async (label, payload, fields) => {
    const email = `${label.replace(/\W+/g, '-')}@example.com`;
    const pair = await signUp(t.app, email);
    const before = await hashOf(email);
    const res = await change(pair.accessToken, payload);
    expect(res.statusCode).toBe(400);
    expect([...new Set(res.json().details.map((d: { field: string }) => d.field))]).toEqual(fields);
    expect(await hashOf(email)).toBe(before);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(200);
  });

  it('needs an access token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(res.statusCode).toBe(401);
  });

  it('is one transaction: when the new login cannot be issued, the old password and logins stay', async () => {
    const pair = await signUp(t.app, 'dan@example.com');
    const before = await hashOf('dan@example.com');
    const issue = jest.spyOn(t.app.get(TokenService), 'issue').mockRejectedValueOnce(new Error('injected failure'));
    try {
      expect((await change(pair.accessToken, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(500);
    } finally {
      issue.mockRestore();
    }
    expect(await hashOf('dan@example.com')).toBe(before);
    expect((await me(t.app, `Bearer ${pair.accessToken}`)).statusCode).toBe(200);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(200);
    expect((await login(t.app, 'dan@example.com', PASSWORD)).statusCode).toBe(200);
  });
});

describeDb('POST /api/auth/password: rate-limited per account, as login is', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT_IP: '100', AUTH_RATE_LIMIT_ACCOUNT: '3', AUTH_RATE_TTL_SECONDS: '60' });
  });
  afterAll(async () => t?.close());

  it('limits guesses of the current password per account from any address, without locking the account out of login', async () => {
    const pair = await signUp(t.app, 'eve@example.com');
    const guess = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { authorization: `Bearer ${pair.accessToken}` },
        payload: { currentPassword: 'a wrong guess', newPassword: NEW_PASSWORD },
        remoteAddress,
      });
    for (const ip of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) expect((await guess(ip)).statusCode).toBe(400);
    const limited = await guess('10.9.0.4');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Each route counts apart: a stolen access token cannot lock its owner out of logging in.
    expect((await login(t.app, 'eve@example.com', PASSWORD, '10.9.0.5')).statusCode).toBe(200);
  });
});
