import { IsNull } from 'typeorm';
import { RefreshToken } from '../../src/auth/refresh-token.entity';
import { hashRefreshToken } from '../../src/auth/token.service';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { interleavedRotations, me, signUp } from './helpers';

describeDb('refresh tokens with JWT_REFRESH_REUSE_GRACE_SECONDS: two tabs refreshing at once', () => {
  let t: TestApp;
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const rows = () => t.db.dataSource.getRepository(RefreshToken);
  const rowOf = (token: string) => rows().findOneByOrFail({ tokenHash: hashRefreshToken(token) });

  beforeAll(async () => {
    t = await createTestApp({ JWT_REFRESH_REUSE_GRACE_SECONDS: '30' });
  });
  afterAll(async () => t?.close());

  it('a second use within the grace gets its own successor, and both branches of the login live on', async () => {
    const pair = await signUp(t.app, 'tabs@example.com');
    const first = await refresh(pair.refreshToken);
    const second = await refresh(pair.refreshToken);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const [a, b] = [first.json(), second.json()];
    expect(a.refreshToken).not.toBe(b.refreshToken);
    expect((await rowOf(a.refreshToken)).familyId).toBe((await rowOf(pair.refreshToken)).familyId);
    expect((await rowOf(b.refreshToken)).familyId).toBe((await rowOf(pair.refreshToken)).familyId);
    for (const next of [a, b]) {
      expect((await me(t.app, `Bearer ${next.accessToken}`)).statusCode).toBe(200);
      expect((await refresh(next.refreshToken)).statusCode).toBe(200);
    }
  });

  it('two concurrent uses both succeed', async () => {
    const pair = await signUp(t.app, 'race@example.com');
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const family = (await rowOf(pair.refreshToken)).familyId;
    expect(await rows().countBy({ familyId: family, revokedAt: IsNull(), usedAt: IsNull() })).toBe(2);
  });

  it('the loser of the conditional spend is a second use within the grace, not a theft (deterministic interleaving)', async () => {
    const pair = await signUp(t.app, 'interleave-grace@example.com');
    const { outer, inner } = await interleavedRotations(t.app, pair.refreshToken);
    expect(inner.ok).toBe(true);
    expect(outer.ok).toBe(true);
    const family = (await rowOf(pair.refreshToken)).familyId;
    expect(await rows().countBy({ familyId: family, revokedAt: IsNull() })).toBe(3);
  });

  it('after the grace, a second use is a theft: the whole login is revoked, successors included', async () => {
    const pair = await signUp(t.app, 'late@example.com');
    const next = (await refresh(pair.refreshToken)).json();
    const usedAt = (await rowOf(pair.refreshToken)).usedAt!.getTime();
    const now = jest.spyOn(Date, 'now').mockReturnValue(usedAt + 31_000);
    try {
      expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    } finally {
      now.mockRestore();
    }
    expect((await refresh(next.refreshToken)).statusCode).toBe(401);
    const family = (await rowOf(pair.refreshToken)).familyId;
    expect(await rows().countBy({ familyId: family, revokedAt: IsNull() })).toBe(0);
  });

  it('a login ended by logout or logout-all gives nothing to a second use, even within the grace', async () => {
    const viaLogout = await signUp(t.app, 'ended1@example.com');
    await refresh(viaLogout.refreshToken);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: viaLogout.refreshToken } });
    expect((await refresh(viaLogout.refreshToken)).statusCode).toBe(401);

    const viaAll = await signUp(t.app, 'ended2@example.com');
    const next = (await refresh(viaAll.refreshToken)).json();
    await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { authorization: `Bearer ${next.accessToken}` } });
    expect((await refresh(viaAll.refreshToken)).statusCode).toBe(401);
  });
});
