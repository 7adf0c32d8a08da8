import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '../../src/context/request-context';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { RootAnswers } from '../../src/tenancy/root-answers';
import { describeDb, ENGINE, inUnit } from '../helpers/db';
import { recordStatements } from '../helpers/query-plans';
import { Api, sessionApi } from '../sessions/helpers';
import { get, practice } from './helpers';

/**
 * The series is kept while its root's version holds (src/tenancy/root-answers.ts, migration
 * RootVersions): asked again, it is answered without reading values; after any write to the
 * root, by the API or straight into the database, it is computed again.
 */
describeDb('analytics: the series kept while its root is unchanged', () => {
  let api: Api;
  let root: string;
  let other: string;
  let press: { id: string; metrics: Record<string, string> };
  let sessions: string[];
  let instance: string;
  const url = () => `/activities/${press.id}/series?metricId=${press.metrics.kg}`;
  const series = (query = '') => get(api, root, `${url()}${query}`);
  const values = (body: any) => body.points.map((p: any) => p.value);
  /** The statements a request ran that read metric values: none when the answer was kept. */
  const valueReads = async (work: () => Promise<unknown>) => {
    // The app's own source: on PostgreSQL it connects as the service role, apart from the owner's.
    const own = (api.t.app.get(UnitOfWork) as unknown as { dataSource: DataSource }).dataSource;
    const { statements } = await recordStatements(api.t.app, own, work);
    return statements.filter((s) => /metric_values/.test(s.sql)).length;
  };

  beforeAll(async () => {
    api = await sessionApi('kept@example.com');
    root = await api.newRoot('Kept');
    const p = practice(api, root);
    const { stg } = await p.tree();
    press = await p.activity('Press', { metrics: ['kg'] });
    sessions = [await p.session(stg, '2026-03-02T10:00:00Z'), await p.session(stg, '2026-03-04T18:00:00Z')];
    instance = await p.instance(sessions[0], press.id, [{ [press.metrics.kg]: 50 }]);
    await p.instance(sessions[1], press.id, [{ [press.metrics.kg]: 55 }]);
    other = await api.newRoot('Other');
  });
  afterAll(async () => api?.t.close());

  it('answers a series asked again from what it kept, the same answer, without reading values', async () => {
    let first: any;
    expect(await valueReads(async () => (first = await series()))).toBeGreaterThan(0);
    let again: any;
    expect(await valueReads(async () => (again = await series()))).toBe(0);
    expect(again).toEqual(first);
    expect(values(again)).toEqual([50, 55]);
  });

  it('computes again after a value is written through the API', async () => {
    await series();
    const res = await api.req('PUT', api.at(root, `/activity-instances/${instance}/metrics`), { values: [{ metricId: press.metrics.kg, value: 80 }] });
    expect(res.statusCode).toBe(200);
    expect(values(await series())).toEqual([80, 55]);
  });

  it('computes again after a write straight into the database, around the service', async () => {
    await series();
    await api.t.db.dataSource.getRepository('MetricValue').update({ activityInstanceId: instance }, { value: 90 });
    expect(values(await series())).toEqual([90, 55]);
    // A session deleted and restored by hand: the series drops it, then has it again.
    const goals = api.t.db.dataSource.getRepository('Goal');
    await goals.update({ id: sessions[1] }, { deletedAt: new Date(), deletionId: sessions[1] });
    expect(values(await series())).toEqual([90]);
    await goals.update({ id: sessions[1] }, { deletedAt: null, deletionId: null });
    expect(values(await series())).toEqual([90, 55]);
  });

  it("keeps a root's series through writes to another root", async () => {
    await series();
    await practice(api, other).tree();
    expect(await valueReads(() => series())).toBe(0);
  });

  it('keeps one answer per time zone: the one asked, or the user’s setting once it changes', async () => {
    const utc = await series('&bucket=day');
    expect(utc.timeZone).toBe('UTC');
    // 18:00Z on the 4th is the 5th in Tokyo.
    expect((await series('&bucket=day&tz=Asia/Tokyo')).points.map((p: any) => p.date)).toEqual(['2026-03-02', '2026-03-05']);
    expect((await api.req('PATCH', '/api/auth/me', { timeZone: 'Asia/Tokyo' })).statusCode).toBe(200);
    const mine = await series('&bucket=day');
    expect(mine.timeZone).toBe('Asia/Tokyo');
    expect(mine.points.map((p: any) => p.date)).toEqual(['2026-03-02', '2026-03-05']);
    expect((await api.req('PATCH', '/api/auth/me', { timeZone: 'UTC' })).statusCode).toBe(200);
    expect(await series('&bucket=day')).toEqual(utc);
  });

  it('answers 404 for another root’s activity however often it is asked, and keeps no error', async () => {
    for (let k = 0; k < 2; k++) {
      const res = await api.req('GET', api.at(other, `/analytics${url()}`));
      expect(res.statusCode).toBe(404);
    }
    const unknown = `/analytics/activities/${randomUUID()}/series`;
    expect((await api.req('GET', api.at(root, unknown))).statusCode).toBe(404);
    expect((await api.req('GET', api.at(root, unknown))).statusCode).toBe(404);
  });

  it('drops the least recently used answers beyond its budget, never serves a rolled-back unit’s answer, and keeps none with a budget of 0', async () => {
    const ctx = RequestContext.forUser(randomUUID(), { id: api.userId, email: 'kept@example.com', role: 'user' }).withRoot(root);
    const answer = (n: number) => ({ n, text: 'x'.repeat(1000) });
    let computed = 0;
    const compute = (n: number) => async () => {
      computed++;
      return answer(n);
    };
    // Each answer is about 2 KB: three fit in 7 KB, a fourth drops the least recently used.
    const small = new RootAnswers({ answerCacheBytes: 7000 } as never);
    await inUnit(api.t.app, ctx, async (c) => {
      for (const n of [1, 2, 3]) await small.get(c, `k${n}`, compute(n));
      expect(computed).toBe(3);
      await small.get(c, 'k1', compute(1));
      expect(computed).toBe(3);
      await small.get(c, 'k4', compute(4));
      expect(small.size).toBeLessThanOrEqual(7000);
      await small.get(c, 'k1', compute(1));
      expect(computed).toBe(4);
      await small.get(c, 'k2', compute(2));
      expect(computed).toBe(5);
    });
    // A unit that writes, then rolls back: what it computed is never served afterwards.
    const kept = new RootAnswers({ answerCacheBytes: 7000 } as never);
    computed = 0;
    await expect(
      inUnit(api.t.app, ctx, async (c) => {
        await c.requireManager().getRepository('Goal').update({ id: root }, { name: 'Renamed, then not' });
        await kept.get(c, 'k1', compute(1));
        await kept.get(c, 'k1', compute(1));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // PostgreSQL moves the token at the commit: a unit that has written keeps nothing. SQLite
    // moved it at once, to a token that the rollback took away with the write.
    expect(computed).toBe(ENGINE === 'postgres' ? 2 : 1);
    await inUnit(api.t.app, ctx, (c) => kept.get(c, 'k1', compute(1)));
    expect(computed).toBe(ENGINE === 'postgres' ? 3 : 2);

    const none = new RootAnswers({ answerCacheBytes: 0 } as never);
    computed = 0;
    await inUnit(api.t.app, ctx, async (c) => {
      await none.get(c, 'k1', compute(1));
      await none.get(c, 'k1', compute(1));
    });
    expect(computed).toBe(2);
    expect(none.size).toBe(0);
  });
});
