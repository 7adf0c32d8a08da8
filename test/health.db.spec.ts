import { createTestApp, TestApp } from './helpers/db';

import { describeDb } from './helpers/db';
describeDb('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('GET /health answers liveness and names the environment and the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', environment: 'test', database: t.config.database.display });
  });

  it('GET /health/ready checks the database and that no migration is pending', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up', pending: 0 } });
  });

  it('answers unknown routes with the shared error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nope' });
  });
});
