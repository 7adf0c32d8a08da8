import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, routesOf } from '../../src/app.factory';
import { OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

/** Every sessions and instances route is in the OpenAPI document, with its schemas, parameters and error answers. */
describe('OpenAPI: sessions and activity instances', () => {
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

  // GET /sessions/:sessionId/notes is the notes' route (test/notes/openapi.spec.ts).
  const ours = () =>
    routesOf(app).filter((r) => /^\/api\/roots\/:rootId\/(sessions|activity-instances)/.test(r.url) && !r.url.endsWith('/notes') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
  const schema = (ref: string | undefined) => doc.components.schemas[ref!.split('/').pop()!];

  it('lists each route with a typed success answer, the shared error body, its parameters and headers', () => {
    expect(ours().length).toBe(23);
    for (const r of ours()) {
      const route = `${r.method} ${r.url}`;
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect({ route, documented: op !== undefined }).toEqual({ route, documented: true });
      const success = Object.keys(op.responses).find((s) => s.startsWith('2'))!;
      if (success !== '204') {
        const ref = op.responses[success].content?.['application/json']?.schema.$ref;
        expect({ route, typed: ref !== undefined && Object.keys(schema(ref).properties ?? {}).length > 0 }).toEqual({ route, typed: true });
      }
      for (const status of ['401', '404']) {
        expect({ route, status, body: op.responses[status]?.content?.['application/json']?.schema.$ref }).toEqual({ route, status, body: '#/components/schemas/ErrorBodyDto' });
      }
      for (const param of r.url.match(/:[A-Za-z]+/g) ?? []) expect({ route, param, given: op.parameters?.some((p) => p.in === 'path' && p.name === param.slice(1)) }).toEqual({ route, param, given: true });
      if (r.method === 'POST') expect({ route, key: op.parameters?.some((p) => p.name === 'Idempotency-Key') }).toEqual({ route, key: true });
      if (['PATCH', 'PUT', 'DELETE'].includes(r.method)) expect({ route, ifMatch: op.parameters?.some((p) => p.name === 'If-Match') }).toEqual({ route, ifMatch: true });
      if (['POST', 'PUT', 'PATCH'].includes(r.method)) expect({ route, refusals: Object.keys(op.responses) }).toEqual({ route, refusals: expect.arrayContaining(['400']) });
    }
  });

  it('describes the bodies field by field, the queries, and the list page by page', () => {
    const body = (method: string, path: string) => Object.keys(schema(doc.paths[path][method].requestBody?.content['application/json'].schema.$ref).properties!);
    expect(body('post', '/api/roots/{rootId}/sessions')).toEqual(['parentGoalIds', 'name', 'description', 'templateId', 'sessionStart', 'immediateGoals']);
    expect(body('patch', '/api/roots/{rootId}/sessions/{sessionId}')).toEqual(['name', 'description', 'sessionStart', 'sessionEnd', 'sections']);
    expect(body('put', '/api/roots/{rootId}/activity-instances/{instanceId}/metrics')).toEqual(['values']);
    expect(body('put', '/api/roots/{rootId}/activity-instances/{instanceId}/sets')).toEqual(['sets']);
    expect(Object.keys(schema('#/components/schemas/ValueInput').properties!)).toEqual(['metricId', 'splitId', 'value', 'setIndex']);
    const query = (method: string, path: string) => doc.paths[path][method].parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query('get', '/api/roots/{rootId}/sessions')).toEqual(expect.arrayContaining(['limit', 'cursor', 'from', 'to', 'completed', 'goalId', 'activityId']));
    expect(query('post', '/api/roots/{rootId}/sessions')).toEqual(['force']);
    expect(query('post', '/api/roots/{rootId}/activity-instances/{instanceId}/timer/start')).toEqual(['restart', 'switch']);
    const page = schema(doc.paths['/api/roots/{rootId}/sessions'].get.responses['200'].content!['application/json'].schema.$ref);
    expect(Object.keys(page.properties!)).toEqual(['items', 'nextCursor']);
    expect(Object.keys(schema('#/components/schemas/InstanceView').properties!)).toEqual(expect.arrayContaining(['timer', 'activeSeconds', 'sets', 'values', 'comparison']));
  });
});
