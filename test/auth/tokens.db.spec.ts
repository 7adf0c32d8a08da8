import { generateKeyPairSync } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '../../src/auth/auth.guard';
import { TokenService } from '../../src/auth/token.service';
import { User } from '../../src/auth/user.entity';
import { CONTEXT_KEY, RequestContext } from '../../src/context/request-context';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { me, signUp } from './helpers';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describeDb('access tokens: each attack refused with 401', () => {
  let t: TestApp;
  let secret: string;
  let issuer: string;
  let audience: string;
  let userId: string;
  let otherId: string;
  let valid: string;

  const sign = (payload: object, options: jwt.SignOptions = {}, key: jwt.Secret = secret) =>
    jwt.sign(payload, key, { algorithm: 'HS256', issuer, audience, expiresIn: 300, subject: userId, ...options });

  beforeAll(async () => {
    t = await createTestApp();
    ({ secret, issuer, audience } = t.db.config.jwt);
    valid = (await signUp(t.app, 'victim@example.com')).accessToken;
    await signUp(t.app, 'other@example.com');
    const users = t.db.dataSource.getRepository(User);
    userId = (await users.findOneByOrFail({ email: 'victim@example.com' })).id;
    otherId = (await users.findOneByOrFail({ email: 'other@example.com' })).id;
  });
  afterAll(async () => t?.close());

  async function expect401(authorization: string | undefined, message = 'Invalid or expired access token.') {
    const res = await me(t.app, authorization);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  }

  it('accepts the genuine token (the control for every case below)', async () => {
    const res = await me(t.app, `Bearer ${valid}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(userId);
  });

  it('issues HS256 tokens with iss, aud, sub and a lifetime of at most 15 minutes', () => {
    const decoded = jwt.decode(valid, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toMatchObject({ iss: issuer, aud: audience, sub: userId });
    expect(decoded.payload.exp! - decoded.payload.iat!).toBeLessThanOrEqual(900);
  });

  it('refuses a signature-less token (alg none)', async () => {
    const claims = jwt.decode(valid) as object;
    await expect401(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
    await expect401(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${valid.split('.')[2]}`);
  });

  it('refuses HS512 and HS384 tokens signed with the real secret', async () => {
    await expect401(`Bearer ${sign({}, { algorithm: 'HS512' })}`);
    await expect401(`Bearer ${sign({}, { algorithm: 'HS384' })}`);
  });

  it('refuses an RS256 token, whatever key signed it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect401(`Bearer ${sign({}, { algorithm: 'RS256' }, privateKey)}`);
  });

  it('refuses a token signed with another secret', async () => {
    await expect401(`Bearer ${sign({}, {}, 'not-the-secret-not-the-secret-000000')}`);
  });

  it('refuses a wrong issuer', async () => {
    await expect401(`Bearer ${sign({}, { issuer: 'someone-else' })}`);
  });

  it('refuses a wrong audience', async () => {
    await expect401(`Bearer ${sign({}, { audience: 'another-app' })}`);
  });

  it('refuses a token without iss or aud', async () => {
    await expect401(`Bearer ${jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', expiresIn: 300, audience })}`);
    await expect401(`Bearer ${jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', expiresIn: 300, issuer })}`);
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await expect401(`Bearer ${jwt.sign({ sub: userId, iat: past - 300, exp: past }, secret, { algorithm: 'HS256', issuer, audience })}`);
  });

  it('refuses a token past its exp even after accepting it before (verified tokens are remembered only until then)', async () => {
    const token = sign({}, { expiresIn: 60 });
    expect((await me(t.app, `Bearer ${token}`)).statusCode).toBe(200);
    const exp = (jwt.decode(token) as { exp: number }).exp;
    const now = jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 + 1000);
    try {
      await expect401(`Bearer ${token}`);
    } finally {
      now.mockRestore();
    }
    expect((await me(t.app, `Bearer ${valid}`)).statusCode).toBe(200);
  });

  it('refuses a token with no expiry, even correctly signed', async () => {
    await expect401(`Bearer ${jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', issuer, audience })}`);
  });

  it('refuses a tampered signature', async () => {
    const [h, p, s] = valid.split('.');
    const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    await expect401(`Bearer ${h}.${p}.${flipped}`);
  });

  it('refuses a tampered payload (sub switched to another user, signature kept)', async () => {
    const [h, , s] = valid.split('.');
    const claims = { ...(jwt.decode(valid) as object), sub: otherId };
    await expect401(`Bearer ${h}.${b64(claims)}.${s}`);
  });

  it("carries the account's token version, and refuses a correctly signed token with any other or a malformed one", async () => {
    expect((jwt.decode(valid) as { ver: unknown }).ver).toBe(0);
    expect((await me(t.app, `Bearer ${sign({ ver: 0 })}`)).statusCode).toBe(200);
    // Tokens signed before the claim existed count as version 0.
    expect((await me(t.app, `Bearer ${sign({})}`)).statusCode).toBe(200);
    await expect401(`Bearer ${sign({ ver: 1 })}`);
    await expect401(`Bearer ${sign({ ver: -1 })}`);
    await expect401(`Bearer ${sign({ ver: '0' })}`);
    await expect401(`Bearer ${sign({ ver: 0.5 })}`);
    await expect401(`Bearer ${sign({ ver: null })}`);
  });

  it('refuses a correctly signed token for a user that does not exist', async () => {
    await expect401(`Bearer ${sign({}, { subject: '00000000-0000-4000-8000-000000000000' })}`, 'This account is disabled or no longer exists.');
  });

  it('refuses a missing, empty or garbage Authorization header', async () => {
    const missing = 'Missing or malformed bearer token.';
    await expect401(undefined, missing);
    await expect401('', missing);
    await expect401('Bearer', missing);
    await expect401('Bearer garbage', missing);
    await expect401(`Basic ${Buffer.from('a:b').toString('base64')}`, missing);
    await expect401(`Token ${valid}`, missing);
    await expect401(`Bearer ${valid} extra`, missing);
    await expect401('Bearer a.b.c');
  });
});

describeDb('a disabled or deleted user is refused on the next request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('answers 401 to a still-valid access token once is_active is false, and again 200 when re-enabled', async () => {
    const { accessToken, refreshToken } = await signUp(t.app, 'disabled@example.com');
    expect((await me(t.app, `Bearer ${accessToken}`)).statusCode).toBe(200);

    const users = t.db.dataSource.getRepository(User);
    await users.update({ email: 'disabled@example.com' }, { isActive: false });
    const res = await me(t.app, `Bearer ${accessToken}`);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'This account is disabled or no longer exists.' });

    // Its refresh token is refused too, and the family revoked, so re-enabling does not revive it.
    const refreshed = await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
    expect(refreshed.statusCode).toBe(401);

    await users.update({ email: 'disabled@example.com' }, { isActive: true });
    expect((await me(t.app, `Bearer ${accessToken}`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })).statusCode).toBe(401);
  });

  it('answers 401 to a still-valid access token once the user is soft-deleted', async () => {
    const { accessToken } = await signUp(t.app, 'deleted@example.com');
    await t.db.dataSource.getRepository(User).softDelete({ email: 'deleted@example.com' });
    expect((await me(t.app, `Bearer ${accessToken}`)).statusCode).toBe(401);
  });

  // On tenant routes one query checks the user and the root together: the user's state must still win.
  it('answers 401, not 404, on a tenant route of their own root once the user is disabled or deleted', async () => {
    const { accessToken } = await signUp(t.app, 'tenant-user@example.com');
    const authorization = `Bearer ${accessToken}`;
    const created = await t.app.inject({ method: 'POST', url: '/api/roots', headers: { authorization }, payload: { name: 'Mine' } });
    const url = `/api/roots/${created.json().id}`;
    const get = () => t.app.inject({ method: 'GET', url, headers: { authorization } });
    expect((await get()).statusCode).toBe(200);

    const users = t.db.dataSource.getRepository(User);
    await users.update({ email: 'tenant-user@example.com' }, { isActive: false });
    expect((await get()).json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'This account is disabled or no longer exists.' });
    const restore = await t.app.inject({ method: 'POST', url: `${url}/restore`, headers: { authorization } });
    expect(restore.statusCode).toBe(401);

    await users.update({ email: 'tenant-user@example.com' }, { isActive: true });
    expect((await get()).statusCode).toBe(200);
    await users.softDelete({ email: 'tenant-user@example.com' });
    expect((await get()).statusCode).toBe(401);
  });
});

describeDb('the authentication guard contract', () => {
  let t: TestApp;
  let guard: AuthGuard;
  beforeAll(async () => {
    t = await createTestApp();
    guard = new AuthGuard(new Reflector(), t.app.get(TokenService));
  });
  afterAll(async () => t?.close());

  const contextFor = (request: object, isPublic = false) => {
    class Handlers {
      route() {}
    }
    if (isPublic) Reflect.defineMetadata('auth:isPublic', true, Handlers.prototype.route);
    return {
      switchToHttp: () => ({ getRequest: () => request }),
      getHandler: () => Handlers.prototype.route,
      getClass: () => Handlers,
    } as never;
  };

  it("leaves request.fgContext authenticated (the claims of the token, no user yet) with Fastify's request id, and reads no database", async () => {
    const { accessToken } = await signUp(t.app, 'context@example.com');
    const user = await t.db.dataSource.getRepository(User).findOneByOrFail({ email: 'context@example.com' });
    const request: Record<string, unknown> = { id: 'fastify-1', headers: { authorization: `Bearer ${accessToken}` } };
    const queries = jest.spyOn(t.db.dataSource, 'query');
    try {
      expect(guard.canActivate(contextFor(request))).toBe(true);
    } finally {
      queries.mockRestore();
    }
    expect(queries).not.toHaveBeenCalled();
    expect(Object.keys(request).sort()).toEqual([CONTEXT_KEY, 'headers', 'id']);
    const ctx = request[CONTEXT_KEY] as RequestContext;
    expect(ctx).toBeInstanceOf(RequestContext);
    expect(ctx.requestId).toBe('fastify-1');
    expect(ctx.claims).toEqual({ userId: user.id, tokenVersion: 0 });
    expect(ctx.user).toBeUndefined();
    expect(() => ctx.requireUser()).toThrow();
    expect(ctx.rootId).toBeUndefined();
  });

  it('over HTTP, the context carries the request id that X-Request-Id (and the log) shows', async () => {
    const { accessToken } = await signUp(t.app, 'context3@example.com');
    const spy = jest.spyOn(RequestContext, 'authenticated');
    try {
      const given = await me(t.app, `Bearer ${accessToken}`, { 'x-request-id': 'client-req-77' });
      const generated = await me(t.app, `Bearer ${accessToken}`);
      expect(given.headers['x-request-id']).toBe('client-req-77');
      expect(spy.mock.calls.map((c) => c[0])).toEqual(['client-req-77', generated.headers['x-request-id']]);
    } finally {
      spy.mockRestore();
    }
  });

  it('lets a @Public() route through with an anonymous context and no user', async () => {
    const request: Record<string, unknown> = { id: 'fastify-1', headers: {} };
    expect(guard.canActivate(contextFor(request, true))).toBe(true);
    expect((request[CONTEXT_KEY] as RequestContext).user).toBeUndefined();
    expect((request[CONTEXT_KEY] as RequestContext).claims).toBeUndefined();
  });

  it('sets nothing on the request when it refuses', async () => {
    const request: Record<string, unknown> = { id: 'fastify-2', headers: { authorization: 'Bearer a.b.c' } };
    expect(() => guard.canActivate(contextFor(request))).toThrow(expect.objectContaining({ status: 401 }));
    expect(request[CONTEXT_KEY]).toBeUndefined();
  });
});
