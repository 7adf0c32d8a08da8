import { IsNull, Not } from 'typeorm';
import { RefreshToken } from '../../src/auth/refresh-token.entity';
import { hashRefreshToken } from '../../src/auth/token.service';
import { User } from '../../src/auth/user.entity';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { interleavedRotations, login, me, signUp } from './helpers';

describeDb('refresh tokens: rotation, reuse, logout, expiry', () => {
  let t: TestApp;
  const refresh = (refreshToken: unknown) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const logout = (refreshToken: unknown) => t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken } });
  const rows = () => t.db.dataSource.getRepository(RefreshToken);
  const familyOf = async (token: string) => (await rows().findOneByOrFail({ tokenHash: hashRefreshToken(token) })).familyId;
  const liveInFamily = async (familyId: string) => rows().countBy({ familyId, revokedAt: IsNull(), usedAt: IsNull() });
  const invalid = { statusCode: 401, error: 'Unauthorized', message: 'Invalid or expired refresh token.' };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('stores only a SHA-256 hash of the opaque token', async () => {
    const { refreshToken } = await signUp(t.app, 'hash@example.com');
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await rows().findOneByOrFail({ tokenHash: hashRefreshToken(refreshToken) });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(await t.db.dataSource.query('SELECT * FROM refresh_tokens'));
    expect(all).not.toContain(refreshToken);
  });

  it('rotates on every use: a new pair each time, the old refresh token spent', async () => {
    const first = await signUp(t.app, 'rotate@example.com');
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await me(t.app, `Bearer ${second.accessToken}`)).statusCode).toBe(200);

    const r2 = await refresh(second.refreshToken);
    expect(r2.statusCode).toBe(200);
    const family = await familyOf(first.refreshToken);
    expect(await familyOf(r2.json().refreshToken)).toBe(family);
    expect(await rows().countBy({ familyId: family })).toBe(3);
    expect(await liveInFamily(family)).toBe(1);
  });

  it('reusing a spent token revokes the whole family, and leaves other sessions alone', async () => {
    const stolen = await signUp(t.app, 'reuse@example.com');
    const otherSession = (await login(t.app, 'reuse@example.com')).json();
    const legit = (await refresh(stolen.refreshToken)).json();

    const replay = await refresh(stolen.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toEqual(invalid);

    // The legitimate successor dies with its family.
    expect((await refresh(legit.refreshToken)).statusCode).toBe(401);
    const family = await familyOf(stolen.refreshToken);
    expect(await rows().countBy({ familyId: family, revokedAt: IsNull() })).toBe(0);

    // Another login is another family.
    expect((await refresh(otherSession.refreshToken)).statusCode).toBe(200);
  });

  it('two concurrent uses of one token: exactly one succeeds, and the family ends revoked', async () => {
    const pair = await signUp(t.app, 'race@example.com');
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 401, 401]);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
    expect(await rows().countBy({ familyId: await familyOf(pair.refreshToken), revokedAt: IsNull() })).toBe(0);
  });

  it('a rotation that loses the conditional UPDATE to another one is a reuse (deterministic interleaving)', async () => {
    const pair = await signUp(t.app, 'interleave@example.com');
    const { outer, inner } = await interleavedRotations(t.app, pair.refreshToken);
    expect(inner.ok).toBe(true);
    expect(outer).toEqual({ ok: false, reason: 'reused' });
    const family = await familyOf(pair.refreshToken);
    // Both successors exist and both are revoked: nothing in the family can be used.
    expect(await rows().countBy({ familyId: family })).toBe(3);
    expect(await rows().countBy({ familyId: family, revokedAt: IsNull() })).toBe(0);
    expect((await refresh(inner.ok ? inner.pair.refreshToken : '')).statusCode).toBe(401);
  });

  it('logout answers 204, revokes the family, and is idempotent', async () => {
    const pair = await signUp(t.app, 'logout@example.com');
    const rotated = (await refresh(pair.refreshToken)).json();
    const res = await logout(rotated.refreshToken);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect(await rows().countBy({ familyId: await familyOf(pair.refreshToken), revokedAt: IsNull() })).toBe(0);
    expect((await logout(rotated.refreshToken)).statusCode).toBe(204);
    // An unknown token is not an error either: logout reveals nothing.
    expect((await logout('x'.repeat(43))).statusCode).toBe(204);
  });

  it('logout needs no access token: a client whose access token expired can still log out', async () => {
    const pair = await signUp(t.app, 'logout2@example.com');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: pair.refreshToken } });
    expect(res.statusCode).toBe(204);
  });

  it('refuses an expired refresh token', async () => {
    const pair = await signUp(t.app, 'expired@example.com');
    await rows().update({ tokenHash: hashRefreshToken(pair.refreshToken) }, { expiresAt: new Date(Date.now() - 1000) });
    const res = await refresh(pair.refreshToken);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(invalid);
  });

  it("a login forgets the user's expired and revoked tokens, keeps live families with their spent tokens, and leaves other users alone", async () => {
    const expiring = await signUp(t.app, 'prune@example.com');
    const loggedOut = (await login(t.app, 'prune@example.com')).json();
    const live = (await login(t.app, 'prune@example.com')).json();
    const liveNext = (await refresh(live.refreshToken)).json();
    const other = await signUp(t.app, 'prune-other@example.com');
    const past = new Date(Date.now() - 1000);
    await rows().update({ tokenHash: hashRefreshToken(expiring.refreshToken) }, { expiresAt: past });
    await rows().update({ tokenHash: hashRefreshToken(other.refreshToken) }, { expiresAt: past });
    expect((await logout(loggedOut.refreshToken)).statusCode).toBe(204);
    const user = await t.db.dataSource.getRepository(User).findOneByOrFail({ email: 'prune@example.com' });
    expect(await rows().countBy({ userId: user.id })).toBe(4);

    const fresh = (await login(t.app, 'prune@example.com')).json();
    const kept = await rows().findBy({ userId: user.id });
    const hashes = new Set(kept.map((r) => r.tokenHash));
    expect(hashes).toEqual(new Set([live.refreshToken, liveNext.refreshToken, fresh.refreshToken].map(hashRefreshToken)));
    expect(await rows().countBy({ tokenHash: hashRefreshToken(other.refreshToken) })).toBe(1);

    // A forgotten token is refused like any unknown one; the spent one kept still detects reuse.
    expect((await refresh(expiring.refreshToken)).json()).toEqual(invalid);
    expect((await refresh(live.refreshToken)).statusCode).toBe(401);
    expect((await refresh(liveNext.refreshToken)).statusCode).toBe(401);
    expect((await refresh(fresh.refreshToken)).statusCode).toBe(200);
  });

  it('refuses unknown and malformed refresh tokens with 401, and bad bodies with 400 naming the field', async () => {
    expect((await refresh('A'.repeat(43))).statusCode).toBe(401);
    expect((await refresh('not a token')).statusCode).toBe(401);
    for (const body of [{}, { refreshToken: '' }, { refreshToken: 42 }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: body });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain('refreshToken');
    }
  });

  it('refuses the refresh of a user deleted since the login', async () => {
    const pair = await signUp(t.app, 'gone@example.com');
    await t.db.dataSource.getRepository(User).softDelete({ email: 'gone@example.com' });
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    expect(await rows().countBy({ familyId: await familyOf(pair.refreshToken), revokedAt: Not(IsNull()) })).toBe(1);
  });
});

describeDb('refresh tokens: a login ends after JWT_REFRESH_MAX_AGE_SECONDS, however often it rotates', () => {
  const MAX_AGE = 120;
  let t: TestApp;
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const rowOf = (token: string) => t.db.dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: hashRefreshToken(token) });

  beforeAll(async () => {
    t = await createTestApp({ JWT_REFRESH_TTL_SECONDS: '3600', JWT_REFRESH_MAX_AGE_SECONDS: String(MAX_AGE) });
  });
  afterAll(async () => t?.close());

  it('caps every token of the family at the end its login set, and carries that end through rotations', async () => {
    const before = Date.now();
    const first = await signUp(t.app, 'capped@example.com');
    const row = await rowOf(first.refreshToken);
    expect(row.familyExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + MAX_AGE * 1000 - 1000);
    expect(row.familyExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + MAX_AGE * 1000);
    // The TTL (an hour) would outlive the login: the token ends with it.
    expect(row.expiresAt.getTime()).toBe(row.familyExpiresAt!.getTime());

    const next = (await refresh(first.refreshToken)).json();
    const nextRow = await rowOf(next.refreshToken);
    expect(nextRow.familyExpiresAt!.getTime()).toBe(row.familyExpiresAt!.getTime());
    expect(nextRow.expiresAt.getTime()).toBe(row.familyExpiresAt!.getTime());
  });

  it('refuses a refresh once the login has ended', async () => {
    const pair = await signUp(t.app, 'ended@example.com');
    const past = new Date(Date.now() - 1000);
    await t.db.dataSource.getRepository(RefreshToken).update({ tokenHash: hashRefreshToken(pair.refreshToken) }, { expiresAt: past, familyExpiresAt: past });
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
  });

  it('keeps the sliding lifetime of tokens issued before the cap existed (no family end)', async () => {
    const pair = await signUp(t.app, 'older@example.com');
    await t.db.dataSource.getRepository(RefreshToken).update({ tokenHash: hashRefreshToken(pair.refreshToken) }, { familyExpiresAt: null });
    const before = Date.now();
    const next = (await refresh(pair.refreshToken)).json();
    const nextRow = await rowOf(next.refreshToken);
    expect(nextRow.familyExpiresAt).toBeNull();
    expect(nextRow.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3600 * 1000 - 1000);
  });
});
