import { randomUUID } from 'node:crypto';
import { User } from '../../src/auth/user.entity';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, me, PASSWORD, register, signUp } from './helpers';

// The same module object the service calls through, so a spy sees every verification.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const argon2 = require('@node-rs/argon2') as typeof import('@node-rs/argon2');

const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

describeDb('register', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('answers 201 with the user, email normalized, and never the hash', async () => {
    const res = await register(t.app, '  Alice@Example.COM ', PASSWORD, { displayName: '  Alice  ' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'alice@example.com',
      displayName: 'Alice',
      timeZone: null,
      role: 'user',
      createdAt: expect.any(String),
      lastLoginAt: null,
    });
    expect(res.body).not.toMatch(/argon2|password/i);
  });

  it('stores an argon2id hash at or above 19 MiB, t=2, p=1', async () => {
    await register(t.app, 'params@example.com');
    const [row] = await t.db.dataSource.query(`SELECT password_hash FROM users WHERE email = 'params@example.com'`);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    const o = argon2.parseOptions(row.password_hash);
    expect(o.algorithm).toBe(2); // Argon2id
    expect(o.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(o.timeCost).toBeGreaterThanOrEqual(2);
    expect(o.parallelism).toBe(1);
    expect(o.saltLen).toBeGreaterThanOrEqual(16);
    expect(await argon2.verify(row.password_hash, PASSWORD)).toBe(true);
  });

  it('answers 409 to a duplicate, whatever its case or spacing', async () => {
    expect((await register(t.app, 'dup@example.com')).statusCode).toBe(201);
    for (const email of ['dup@example.com', 'DUP@example.com', ' Dup@Example.com ']) {
      const res = await register(t.app, email);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'An account with this email already exists.' });
    }
    expect(await t.db.dataSource.getRepository(User).countBy({ email: 'dup@example.com' })).toBe(1);
  });

  it('answers 409 for the address of a soft-deleted account', async () => {
    await register(t.app, 'was-here@example.com');
    await t.db.dataSource.getRepository(User).softDelete({ email: 'was-here@example.com' });
    expect((await register(t.app, 'was-here@example.com')).statusCode).toBe(409);
  });

  it.each([
    ['missing email', { password: PASSWORD }, 'email'],
    ['bad email', { email: 'not-an-email', password: PASSWORD }, 'email'],
    ['email not a string', { email: 42, password: PASSWORD }, 'email'],
    ['email too long', { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, 'email'],
    ['missing password', { email: 'x1@example.com' }, 'password'],
    ['short password (9)', { email: 'x2@example.com', password: '123456789' }, 'password'],
    ['password too long (257)', { email: 'x3@example.com', password: 'p'.repeat(257) }, 'password'],
    ['password not a string', { email: 'x4@example.com', password: 1234567890123 }, 'password'],
    ['empty displayName', { email: 'x5@example.com', password: PASSWORD, displayName: '   ' }, 'displayName'],
    ['displayName too long', { email: 'x6@example.com', password: PASSWORD, displayName: 'd'.repeat(201) }, 'displayName'],
    ['unknown field', { email: 'x7@example.com', password: PASSWORD, role: 'admin' }, 'role'],
  ])('answers 400 naming the field: %s', async (_name, payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(fieldsOf(body)).toContain(field);
    // The submitted password is never echoed back.
    const password = (payload as { password?: unknown }).password;
    if (typeof password === 'string') expect(res.body).not.toContain(password);
    const email = (payload as { email?: unknown }).email;
    if (typeof email === 'string') expect(await t.db.dataSource.getRepository(User).countBy({ email })).toBe(0);
  });

  it('accepts exactly 10 and exactly 256 characters', async () => {
    expect((await register(t.app, 'ten@example.com', '1234567890')).statusCode).toBe(201);
    expect((await register(t.app, 'max@example.com', 'p'.repeat(256))).statusCode).toBe(201);
    expect((await login(t.app, 'max@example.com', 'p'.repeat(256))).statusCode).toBe(200);
  });
});

describeDb('login', () => {
  let t: TestApp;
  const generic = { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password.' };

  beforeAll(async () => {
    t = await createTestApp();
    await register(t.app, 'bob@example.com');
    await register(t.app, 'disabled@example.com');
    await t.db.dataSource.getRepository(User).update({ email: 'disabled@example.com' }, { isActive: false });
    // An account that cannot log in yet, like the legacy placeholder owner.
    await t.db.dataSource.getRepository(User).insert({ id: randomUUID(), email: 'nopassword@example.com', passwordHash: null });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('answers 200 with the pair, for the email in any case, and records the login time', async () => {
    const res = await login(t.app, ' BOB@example.com ');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const body = (await me(t.app, `Bearer ${res.json().accessToken}`)).json();
    expect(body).toMatchObject({ email: 'bob@example.com', lastLoginAt: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);
  });

  it('answers one message for an unknown email, a wrong password, a disabled user and a password-less user', async () => {
    const cases = [
      ['unknown', 'nobody@example.com', PASSWORD],
      ['wrong password', 'bob@example.com', 'wrong password!'],
      ['disabled, right password', 'disabled@example.com', PASSWORD],
      ['no password', 'nopassword@example.com', PASSWORD],
    ] as const;
    for (const [, email, password] of cases) {
      const res = await login(t.app, email, password);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(generic);
    }
  });

  it('does the same work on every failure: exactly one argon2 verification against a hash of the same cost', async () => {
    const spy = jest.spyOn(argon2, 'verify');
    const policy = (hash: string) => {
      const { algorithm, memoryCost, timeCost, parallelism } = argon2.parseOptions(hash);
      return { algorithm, memoryCost, timeCost, parallelism };
    };
    const observed: Record<string, ReturnType<typeof policy>> = {};
    for (const [name, email] of [
      ['unknown', 'nobody@example.com'],
      ['wrong', 'bob@example.com'],
      ['disabled', 'disabled@example.com'],
      ['nopassword', 'nopassword@example.com'],
    ]) {
      spy.mockClear();
      expect((await login(t.app, email, 'wrong password!')).statusCode).toBe(401);
      expect(spy).toHaveBeenCalledTimes(1);
      observed[name] = policy(spy.mock.calls[0][0] as string);
    }
    spy.mockRestore();
    const [first, ...rest] = Object.values(observed);
    expect(first).toEqual({ algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    for (const o of rest) expect(o).toEqual(first);
  });

  it('answers 400 naming the field for a bad body, before any lookup', async () => {
    for (const [payload, field] of [
      [{ password: PASSWORD }, 'email'],
      [{ email: 'bob@example.com' }, 'password'],
      [{ email: 'bob@example.com', password: '' }, 'password'],
      [{ email: 'bob@example.com', password: PASSWORD, remember: true }, 'remember'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res.json())).toContain(field);
    }
  });

  it('upgrades a hash weaker than the policy on the next successful login', async () => {
    const weak = await argon2.hash(PASSWORD, { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await t.db.dataSource.getRepository(User).insert({ id: randomUUID(), email: 'weak@example.com', passwordHash: weak });
    expect((await login(t.app, 'weak@example.com')).statusCode).toBe(200);
    const [row] = await t.db.dataSource.query(`SELECT password_hash FROM users WHERE email = 'weak@example.com'`);
    expect(argon2.parseOptions(row.password_hash)).toMatchObject({ memoryCost: 19456, timeCost: 2 });
    expect((await login(t.app, 'weak@example.com')).statusCode).toBe(200);
  });
});

describeDb('the hash never leaves the server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('appears in no response of the whole flow', async () => {
    const bodies: string[] = [];
    const keep = <R extends { body: string }>(r: R) => (bodies.push(r.body), r);
    keep(await register(t.app, 'leak@example.com'));
    keep(await register(t.app, 'leak@example.com'));
    const pair = keep(await login(t.app, 'leak@example.com')).json();
    keep(await login(t.app, 'leak@example.com', 'wrong password!'));
    keep(await me(t.app, `Bearer ${pair.accessToken}`));
    const next = keep(await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: pair.refreshToken } })).json();
    keep(await t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: next.refreshToken } }));
    const [row] = await t.db.dataSource.query(`SELECT password_hash FROM users WHERE email = 'leak@example.com'`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    for (const body of bodies) {
      expect(body).not.toContain('$argon2');
      expect(body).not.toContain(row.password_hash);
      expect(body).not.toMatch(/password_?hash/i);
    }
  });
});
