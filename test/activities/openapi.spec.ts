import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

const ROOT = '/api/roots/{rootId}';
/** Every route of the activities, goal links and templates, with the success status it documents. */
const ROUTES: [string, string, number][] = [
  ['get', '/activity-groups', 200],
  ['post', '/activity-groups', 201],
  ['put', '/activity-groups/order', 200],
  ['get', '/activity-groups/{groupId}', 200],
  ['patch', '/activity-groups/{groupId}', 200],
  ['delete', '/activity-groups/{groupId}', 204],
  ['get', '/activities', 200],
  ['post', '/activities', 201],
  ['get', '/activities/{activityId}', 200],
  ['patch', '/activities/{activityId}', 200],
  ['delete', '/activities/{activityId}', 204],
  ['get', '/activities/{activityId}/history', 200],
  ['put', '/goals/{goalId}/activities', 200],
  ['get', '/goals/{goalId}/activities', 200],
  ['get', '/session-templates', 200],
  ['post', '/session-templates', 201],
  ['get', '/session-templates/{templateId}', 200],
  ['patch', '/session-templates/{templateId}', 200],
  ['delete', '/session-templates/{templateId}', 204],
  ['get', '/session-templates/{templateId}/stats', 200],
];

describe('OpenAPI: activities, goal links and templates', () => {
  let app: NestFastifyApplication;
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let doc: any;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, openApi: true });
    doc = (await app.inject({ method: 'GET', url: OPENAPI_URL })).json();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const schemaOf = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];

  it.each(ROUTES)('%s %s: parameters, request and response schemas, error answers', (method, path, status) => {
    const op = doc.paths[`${ROOT}${path}`]?.[method];
    expect({ route: `${method} ${path}`, documented: Boolean(op) }).toEqual({ route: `${method} ${path}`, documented: true });
    const params = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
    expect(params.sort()).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).concat('rootId').sort());
    const success = op.responses[String(status)];
    expect(success).toBeDefined();
    if (status !== 204) expect(schemaOf(success.content['application/json'].schema.$ref)).toBeDefined();
    if (['post', 'put', 'patch'].includes(method)) {
      const body = op.requestBody.content['application/json'].schema;
      expect(Object.keys(schemaOf(body.$ref).properties).length).toBeGreaterThan(0);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400']));
    }
    for (const code of ['401', '404']) {
      expect(schemaOf(op.responses[code].content['application/json'].schema.$ref).properties).toHaveProperty('details');
    }
    if (['patch', 'delete'].includes(method) || (method === 'put' && path.includes('goalId'))) {
      expect(op.responses['412']).toBeDefined();
      expect(op.parameters.map((p: any) => p.name)).toContain('If-Match');
    }
    if (method === 'post') expect(op.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
    if (method === 'get' && !path.match(/\}$/) && !path.endsWith('stats')) {
      const page = schemaOf(success.content['application/json'].schema.$ref);
      expect(Object.keys(page.properties)).toEqual(expect.arrayContaining(['items', 'nextCursor']));
      expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
  });

  it('describes nested bodies and views down to their fields', () => {
    const create = schemaOf(doc.paths[`${ROOT}/activities`].post.requestBody.content['application/json'].schema.$ref);
    expect(create.required).toContain('name');
    expect(create.properties.metrics).toMatchObject({ type: 'array', maxItems: 3 });
    expect(schemaOf(create.properties.metrics.items.$ref).properties).toHaveProperty('higherIsBetter');
    const view = schemaOf(doc.paths[`${ROOT}/activities/{activityId}`].get.responses['200'].content['application/json'].schema.$ref);
    expect(Object.keys(view.properties)).toEqual(expect.arrayContaining(['metrics', 'splits', 'inactiveMetrics', 'version']));
    const template = schemaOf(doc.paths[`${ROOT}/session-templates`].post.requestBody.content['application/json'].schema.$ref);
    expect(schemaOf(template.properties.sections.items.$ref).required).toEqual(expect.arrayContaining(['name', 'durationMinutes']));
  });
});
