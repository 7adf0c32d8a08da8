import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, routesOf } from '../../src/app.factory';
import { OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

/** Every programs route is in the OpenAPI document, with its schemas, parameters and error answers. */
describe('OpenAPI: programs', () => {
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

  const ours = () => routesOf(app).filter((r) => /^\/api\/roots\/:rootId\/programs/.test(r.url) && r.method !== 'HEAD' && r.method !== 'OPTIONS');
  const schema = (ref: string | undefined) => doc.components.schemas[ref!.split('/').pop()!];

  it('lists each route with a typed success answer, the shared error body, its parameters and headers', () => {
    expect(ours().length).toBe(16);
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

  it('describes the bodies field by field, and the queries', () => {
    const body = (method: string, path: string) => Object.keys(schema(doc.paths[path][method].requestBody?.content['application/json'].schema.$ref).properties!);
    expect(body('post', '/api/roots/{rootId}/programs')).toEqual(['name', 'description', 'startDate', 'endDate', 'goalIds']);
    expect(body('post', '/api/roots/{rootId}/programs/{programId}/blocks')).toEqual(['name', 'startDate', 'endDate', 'color', 'goalIds']);
    expect(body('post', '/api/roots/{rootId}/programs/{programId}/blocks/{blockId}/days')).toEqual(expect.arrayContaining(['name', 'date', 'weekdays', 'minTemplates', 'templates']));
    expect(body('post', '/api/roots/{rootId}/programs/{programId}/days/{dayId}/schedule')).toEqual(['date', 'templateId', 'parentGoalIds']);
    const query = (method: string, path: string) => doc.paths[path][method].parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query('get', '/api/roots/{rootId}/programs/{programId}/calendar')).toEqual(['from', 'to']);
    expect(query('get', '/api/roots/{rootId}/programs/{programId}')).toEqual(['asOf']);
    expect(query('post', '/api/roots/{rootId}/programs/{programId}/days/{dayId}/schedule')).toEqual(['force']);
    expect(Object.keys(schema('#/components/schemas/OccurrenceView').properties!)).toEqual(['date', 'dayId', 'blockId', 'name', 'minTemplates', 'templates', 'sessions', 'scheduled', 'complete']);
  });
});
