import fc from 'fast-check';
import { routesOf } from '../../src/app.factory';
import { describeDb } from '../helpers/db';
import { Api, ok, planningRoot, sessionApi } from './helpers';

/**
 * Property: the programs routes never answer 500, whatever the ids, dates and bodies, nested
 * ones included; every refusal has the shared error shape.
 */
describeDb('programs: no input causes a 500', () => {
  let api: Api;
  let root: string;
  const ids: string[] = [];

  beforeAll(async () => {
    api = await sessionApi('fuzz-programs@example.com');
    for (const label of ['Mine', 'Other']) {
      const p = await planningRoot(api, label);
      const program = await ok(api, 'POST', p.at('/programs'), { name: 'P', startDate: '2026-03-02', endDate: '2026-03-29', goalIds: [p.goals.mtg] });
      const block = await ok(api, 'POST', p.at(`/programs/${program.id}/blocks`), { name: 'B', startDate: '2026-03-02', endDate: '2026-03-29', goalIds: [p.goals.stg] });
      const day = await ok(api, 'POST', p.at(`/programs/${program.id}/blocks/${block.id}/days`), { weekdays: ['mon'], templates: [{ templateId: p.templates.morning }] });
      ids.push(program.id, block.id, day.id, p.templates.morning, p.goals.stg, p.goals.mtg, p.root);
      root ??= p.root;
    }
  });
  afterAll(async () => api?.t.close());

  it('holds for every programs route', async () => {
    const id = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ maxLength: 40 }), fc.constant(null), fc.integer());
    const date = () => fc.oneof(fc.constantFrom('2026-03-02', '2026-03-09', '2026-02-29', '2026-03-30', '0000-01-01', '2026-3-2'), fc.string({ maxLength: 12 }), fc.integer());
    const scalar = () => fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), date());
    const template = fc.dictionary(fc.constantFrom('templateId', 'required', 'extra'), fc.oneof(scalar(), id()), { maxKeys: 3 });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(
        fc.constantFrom('name', 'description', 'startDate', 'endDate', 'date', 'goalIds', 'weekdays', 'templates', 'minTemplates', 'toBlockId', 'templateId', 'parentGoalIds', 'color', 'version'),
        fc.oneof(scalar(), id(), date(), fc.array(id(), { maxLength: 4 }), fc.array(fc.constantFrom('mon', 'tue', 'sun', 'xyz', ''), { maxLength: 4 }), fc.array(template, { maxLength: 4 })),
        { maxKeys: 6 },
      ),
    );
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'from', 'to', 'asOf', 'force'), fc.oneof(fc.string({ maxLength: 20 }), date().map(String)), { maxKeys: 3 });
    const mine = routesOf(api.t.app).filter((r) => r.url.includes('/programs') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(mine.length).toBe(16);
    for (const route of mine) {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ maxLength: 20 })), { minLength: 3, maxLength: 3 }), body, query, async (params, payload, q) => {
          let n = 0;
          const url = route.url.replace(/:([A-Za-z]+)/g, (_, name) => (name === 'rootId' ? root : encodeURIComponent(params[n++])));
          const qs = new URLSearchParams(q as Record<string, string>).toString();
          const res = await api.req(route.method, qs ? `${url}?${qs}` : url, route.method === 'GET' || route.method === 'DELETE' ? undefined : payload);
          if (res.statusCode >= 500) throw new Error(`${route.method} ${url}?${qs} ${JSON.stringify(payload)} -> ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) {
            const err = res.json();
            if (err.statusCode !== res.statusCode || typeof err.message !== 'string') throw new Error(`not the error shape: ${res.body}`);
          }
          return true;
        }),
        { numRuns: 40, seed: 16 },
      );
    }
  });
});
