import fc from 'fast-check';
import { routesOf } from '../../src/app.factory';
import { describeDb, TestApp } from '../helpers/db';
import { appWithTwoUsers, RootClient } from './helpers';

/**
 * Property: the activity, goal-link and template routes never answer 500, whatever the ids and
 * bodies, nested ones included; every refusal has the shared error shape.
 */
describeDb('activities, goal links and templates: no input causes a 500', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ t, a, b } = await appWithTwoUsers());
    const post = async (c: RootClient, path: string, body: object) => (await c.call('POST', path, body)).json().id as string;
    for (const c of [a, b]) {
      const group = await post(c, '/activity-groups', { name: 'G' });
      const activity = await post(c, '/activities', { name: 'A', groupId: group, metrics: [{ name: 'M', unit: '' }], splits: [{ name: 'L' }] });
      const view = (await c.call('GET', `/activities/${activity}`)).json();
      const template = await post(c, '/session-templates', { name: 'T', sections: [{ name: 'S', durationMinutes: 5, activities: [{ activityId: activity }] }] });
      ids.push(group, activity, view.metrics[0].id, view.splits[0].id, template);
    }
    ids.push(a.rootId, b.rootId);
  });
  afterAll(async () => t?.close());

  it('holds for every route of these features', async () => {
    const id = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ maxLength: 40 }), fc.constant(null), fc.integer());
    const scalar = () => fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const item = fc.dictionary(
      fc.constantFrom('id', 'name', 'unit', 'min', 'max', 'isTopSetMetric', 'higherIsBetter', 'activityId', 'durationMinutes', 'activities', 'extra'),
      fc.oneof(scalar(), id(), fc.array(fc.record({ activityId: id() }), { maxLength: 3 })),
      { maxKeys: 6 },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(
        fc.constantFrom('name', 'description', 'parentId', 'groupId', 'ids', 'activityIds', 'groupIds', 'inheritParentActivities', 'hasSets', 'hasMetrics', 'hasSplits', 'metrics', 'splits', 'sections', 'version', 'rootId'),
        fc.oneof(scalar(), id(), fc.array(id(), { maxLength: 4 }), fc.array(item, { maxLength: 6 })),
        { maxKeys: 6 },
      ),
    );
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'groupId'), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...ids)), { maxKeys: 2 });
    const mine = routesOf(t.app).filter((r) => /\/(activity-groups|activities|session-templates)/.test(r.url) && !r.url.includes('/sessions/') && !r.url.includes('/analytics/') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(mine.length).toBe(20);
    for (const route of mine) {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ maxLength: 20 })), { minLength: 2, maxLength: 2 }), body, query, async ([first, second], payload, q) => {
          let n = 0;
          const url = route.url.replace(/:([A-Za-z]+)/g, (_, name) => (name === 'rootId' ? a.rootId : encodeURIComponent(n++ === 0 ? first : second)));
          const qs = new URLSearchParams(q as Record<string, string>).toString();
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            headers: { authorization: `Bearer ${a.token}` },
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: payload as object }),
          });
          if (res.statusCode >= 500) throw new Error(`${route.method} ${url}?${qs} ${JSON.stringify(payload)} -> ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) {
            const err = res.json();
            if (err.statusCode !== res.statusCode || typeof err.message !== 'string') throw new Error(`not the error shape: ${res.body}`);
          }
          return true;
        }),
        { numRuns: 40, seed: 15 },
      );
    }
  });
});
