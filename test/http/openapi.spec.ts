import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

describe('OpenAPI document', () => {
  let app: NestFastifyApplication;
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, openApi: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('describes the routes, without a token', async () => {
    const res = await app.inject({ method: 'GET', url: OPENAPI_URL });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.info.title).toBe('Fractal Goals API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/roots', '/api/roots/{rootId}', '/api/auth/login']));
  });
});
