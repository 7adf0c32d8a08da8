import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, routesOf } from '../../src/app.factory';
import { OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string; type?: string } }> }>;
};

/** Every route of the goal tree is in the OpenAPI document, with its schemas and its error answers. */
describe('OpenAPI: the goal tree', () => {
  let app: NestFastifyApplication;
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  beforeAll(async () => {
    db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, openApi: true });
    doc = (await app.inject({ method: 'GET', url: OPENAPI_URL })).json();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const ours = () =>
    // A goal's activity links are documented and tested with the activities (test/activities/openapi.spec.ts).
    routesOf(app).filter(
      (r) => /^\/api\/roots\/:rootId\/(goals|levels)/.test(r.url) && !r.url.endsWith('/activities') && r.method !== 'HEAD' && r.method !== 'OPTIONS',
    );
  const schema = (ref: string | undefined) => doc.components.schemas[ref!.split('/').pop()!];

  it('lists each route with a typed success answer, the shared error body, and its parameters', () => {
    expect(ours().length).toBe(19);
    for (const r of ours()) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect({ route: `${r.method} ${r.url}`, documented: op !== undefined }).toEqual({ route: `${r.method} ${r.url}`, documented: true });
      const success = Object.keys(op.responses).find((s) => s.startsWith('2'))!;
      const ref = op.responses[success].content?.['application/json']?.schema.$ref;
      expect({ route: r.url, method: r.method, success: ref !== undefined && Object.keys(schema(ref).properties ?? {}).length > 0 }).toEqual({ route: r.url, method: r.method, success: true });
      for (const status of ['401', '404']) {
        expect({ route: `${r.method} ${r.url}`, status, body: op.responses[status]?.content?.['application/json']?.schema.$ref }).toEqual({
          route: `${r.method} ${r.url}`, status, body: '#/components/schemas/ErrorBodyDto',
        });
      }
      for (const param of r.url.match(/:[A-Za-z]+/g) ?? []) {
        expect(op.parameters?.some((p) => p.in === 'path' && p.name === param.slice(1))).toBe(true);
      }
      // Writes to an existing goal, level or target take If-Match; creating one and restoring one do not.
      const takesIfMatch = r.method === 'PATCH' || r.method === 'DELETE' || (r.method === 'POST' && /:goalId\/(move|copy|complete|uncomplete|pause|resume|targets\/evaluate)$/.test(r.url));
      expect({ route: `${r.method} ${r.url}`, ifMatch: op.parameters?.some((p) => p.name === 'If-Match') ?? false }).toEqual({ route: `${r.method} ${r.url}`, ifMatch: takesIfMatch });
      if (r.method === 'POST') expect(op.parameters?.some((p) => p.name === 'Idempotency-Key')).toBe(true);
    }
  });

  it('describes the request bodies field by field, and the lists page by page', () => {
    const body = (method: string, path: string) => schema(doc.paths[path][method].requestBody?.content['application/json'].schema.$ref);
    expect(Object.keys(body('post', '/api/roots/{rootId}/goals').properties!)).toEqual(['parentId', 'type', 'name', 'description', 'deadline', 'relevance']);
    expect(Object.keys(body('patch', '/api/roots/{rootId}/goals/{goalId}').properties!)).toEqual(['name', 'description', 'deadline', 'relevance', 'sortOrder']);
    expect(Object.keys(body('post', '/api/roots/{rootId}/goals/{goalId}/move').properties!)).toEqual(['parentId', 'position']);
    expect(Object.keys(body('post', '/api/roots/{rootId}/goals/{goalId}/targets').properties!)).toEqual(['name', 'activityId', 'kind', 'conditions', 'count', 'periodDays', 'from', 'to']);
    expect(Object.keys(body('patch', '/api/roots/{rootId}/levels/{type}').properties!)).toContain('autoCompleteWhenChildrenDone');
    for (const path of ['/api/roots/{rootId}/levels', '/api/roots/{rootId}/goals/{goalId}/targets']) {
      const names = doc.paths[path].get.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['limit', 'cursor']));
      const page = schema(doc.paths[path].get.responses['200'].content!['application/json'].schema.$ref);
      expect(Object.keys(page.properties!)).toEqual(['items', 'nextCursor']);
    }
    expect(doc.paths['/api/roots/{rootId}/goals'].get.parameters!.map((p) => p.name)).toContain('include');
    const create = doc.paths['/api/roots/{rootId}/goals'].post.responses;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409', '422']));
  });
});
