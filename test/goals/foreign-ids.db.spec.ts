import { randomUUID } from 'node:crypto';
import { routesOf } from '../../src/app.factory';
import { describeDb } from '../helpers/db';
import { chain, goalApi, practice } from './helpers';

/**
 * Every route with a goal or target in its path, called with an unknown id, a malformed one,
 * and the id of the same user's other root's goal or target: each answers the same 404, and
 * neither root changes. (Another user's ids: the isolation matrix.)
 */
describeDb('goal routes with ids that are not of this root', () => {
  it('answer 404 alike, and write nothing', async () => {
    const api = await goalApi('foreign@example.com');
    try {
      const here = await api.newRoot();
      const there = await api.newRoot();
      const mine = await chain(api, here);
      const theirs = await chain(api, there);
      const p = practice(api, there);
      const activity = await p.activity('Scales', ['bpm']);
      const target = (await api.req('POST', api.at(there, `/goals/${theirs.stg}/targets`), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1000 }] })).json();
      await api.req('DELETE', api.at(there, `/goals/${theirs.mtg}`));
      const deleted = theirs.mtg;
      const mineTarget = (await api.req('POST', api.at(here, `/goals/${mine.stg}/targets`), { activityId: (await practice(api, here).activity('Here', ['bpm'])).id, kind: 'frequency', conditions: [], count: 1, periodDays: 1 })).json();
      // A goal's activity links (PUT|GET /goals/:goalId/activities) have their own tests (test/activities).
      const routes = routesOf(api.t.app).filter(
        (r) => /:goalId|:targetId/.test(r.url) && !r.url.endsWith('/activities') && !r.url.includes('/analytics/') && r.method !== 'HEAD' && r.method !== 'OPTIONS',
      );
      expect(routes.length).toBe(15);
      const bodies: Record<string, unknown> = {
        'PATCH /api/roots/:rootId/goals/:goalId': { name: 'x' },
        'POST /api/roots/:rootId/goals/:goalId/move': { parentId: mine.ltg },
        'POST /api/roots/:rootId/goals/:goalId/targets': { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1 }] },
        'PATCH /api/roots/:rootId/goals/:goalId/targets/:targetId': { name: 'x' },
      };
      const before = [await api.snapshot(here), await api.snapshot(there)];
      for (const r of routes) {
        const key = `${r.method} ${r.url}`;
        const variants: Record<string, { goalId: string; targetId: string }> = {
          unknown: { goalId: randomUUID(), targetId: randomUUID() },
          malformed: { goalId: 'not-an-id', targetId: "' OR 1=1 --" },
          'other root': { goalId: r.url.endsWith('/restore') ? deleted : theirs.stg, targetId: target.id },
          // A real goal here, with the other root's target: the target still is not found.
          ...(r.url.includes(':targetId') ? { 'other root target': { goalId: mine.stg, targetId: target.id } } : {}),
          // The other root's goal, with this root's target.
          ...(r.url.includes(':targetId') ? { 'other root goal': { goalId: theirs.stg, targetId: mineTarget.id } } : {}),
        };
        for (const [label, ids] of Object.entries(variants)) {
          const url = r.url.replace(':rootId', here).replace(':goalId', encodeURIComponent(ids.goalId)).replace(':targetId', encodeURIComponent(ids.targetId));
          const res = await api.req(r.method, url, bodies[key] ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {}));
          // Unknown, malformed and foreign answer the same body: the goal first, then the target.
          const message = ids.goalId === mine.stg ? 'Target not found' : 'Goal not found';
          expect({ key, label, status: res.statusCode, body: res.json() }).toEqual({ key, label, status: 404, body: { statusCode: 404, error: 'Not Found', message } });
        }
      }
      expect([await api.snapshot(here), await api.snapshot(there)]).toEqual(before);
    } finally {
      await api.t.close();
    }
  });
});
