import { randomUUID } from 'node:crypto';
import { signUp } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

describeDb('roots', () => {
  let t: TestApp;
  let token: string;
  const req = (method: string, url: string, payload?: unknown, auth = token) =>
    t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${auth}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  beforeAll(async () => {
    t = await createTestApp();
    token = (await signUp(t.app, 'roots@example.com')).accessToken;
  });
  afterAll(async () => t?.close());

  it('creates a root the caller owns, UltimateGoal by default', async () => {
    const res = await req('POST', '/api/roots', { name: '  Play guitar  ', description: 'well' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Play guitar', type: 'UltimateGoal', description: 'well', completed: false, version: 1 });
    const got = await req('GET', `/api/roots/${res.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().id).toBe(res.json().id);
  });

  it('accepts the other root types and refuses the rest, naming the field', async () => {
    expect((await req('POST', '/api/roots', { name: 'LT', type: 'LongTermGoal' })).statusCode).toBe(201);
    const bad = await req('POST', '/api/roots', { name: 'x', type: 'PracticeSession' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([expect.objectContaining({ field: 'type' })]);
  });

  it('refuses bad bodies with the field named, and writes nothing', async () => {
    const before = (await req('GET', '/api/roots?limit=200')).json().items.length;
    for (const [payload, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 5 }, 'name'],
      [{ name: 'x'.repeat(501) }, 'name'],
      [{ name: 'ok', extra: 1 }, 'extra'],
      [{ name: 'ok', description: 7 }, 'description'],
    ] as const) {
      const res = await req('POST', '/api/roots', payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const bad = await t.app.inject({ method: 'POST', url: '/api/roots', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect((await req('GET', '/api/roots?limit=200')).json().items.length).toBe(before);
  });

  it('refuses a second live root of the same name with 409', async () => {
    expect((await req('POST', '/api/roots', { name: 'Twice' })).statusCode).toBe(201);
    const again = await req('POST', '/api/roots', { name: 'Twice' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('lists with limit and cursor, each root once', async () => {
    for (let i = 0; i < 5; i++) await req('POST', '/api/roots', { name: `Page ${i}` });
    const all = (await req('GET', '/api/roots?limit=200')).json();
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await req('GET', `/api/roots?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((r: { id: string }) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses bad list parameters, naming them', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['sort=name', 'sort'],
    ]) {
      const res = await req('GET', `/api/roots?${query}`);
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('patches fields, bumps the version, and validates', async () => {
    const id = (await req('POST', '/api/roots', { name: 'Patch me' })).json().id;
    const res = await req('PATCH', `/api/roots/${id}`, { name: 'Patched', completed: true, deadline: '2027-01-01T00:00:00.000Z' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Patched', completed: true, version: 2 });
    expect(res.json().completedAt).not.toBeNull();
    expect(new Date(res.json().deadline).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const bad = await req('PATCH', `/api/roots/${id}`, { deadline: 'tomorrow' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('deadline');
    expect((await req('PATCH', `/api/roots/${id}`, { rootId: randomUUID() })).statusCode).toBe(400);
  });

  it('soft-deletes a root to 404, and restore brings it back', async () => {
    const id = (await req('POST', '/api/roots', { name: 'Delete me' })).json().id;
    expect((await req('DELETE', `/api/roots/${id}`)).statusCode).toBe(204);
    const gone = await req('GET', `/api/roots/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual((await req('GET', `/api/roots/${randomUUID()}`)).json());
    expect((await req('GET', '/api/roots?limit=200')).json().items.map((r: { id: string }) => r.id)).not.toContain(id);
    expect((await req('DELETE', `/api/roots/${id}`)).statusCode).toBe(404);
    const restored = await req('POST', `/api/roots/${id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id, name: 'Delete me', deletedAt: null });
    expect((await req('POST', `/api/roots/${id}/restore`)).statusCode).toBe(409);
  });

  it('answers malformed and unknown root ids with the same 404', async () => {
    const unknown = await req('GET', `/api/roots/${randomUUID()}`);
    const malformed = await req('GET', '/api/roots/not-a-uuid');
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(malformed.json()).toEqual(unknown.json());
  });

  it('carries the version as an ETag and refuses a stale If-Match with 412, changing nothing', async () => {
    const id = (await req('POST', '/api/roots', { name: 'Versioned' })).json().id;
    const got = await req('GET', `/api/roots/${id}`);
    expect(got.headers.etag).toBe('"1"');
    const headers = (etag: string) => ({ authorization: `Bearer ${token}`, 'if-match': etag });
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/roots/${id}`, headers: headers('"1"'), payload: { name: 'Versioned 2' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/roots/${id}`, headers: headers('"1"'), payload: { name: 'Lost update' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
    expect((await req('GET', `/api/roots/${id}`)).json()).toMatchObject({ name: 'Versioned 2', version: 2 });
  });

  it('honours an Idempotency-Key on POST: a retry replays, another body with the key answers 422', async () => {
    const post = (payload: object, key: string) =>
      t.app.inject({ method: 'POST', url: '/api/roots', headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, payload });
    const first = await post({ name: 'Once only' }, 'key-1');
    const retry = await post({ name: 'Once only' }, 'key-1');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await post({ name: 'Something else' }, 'key-1')).statusCode).toBe(422);
    const names = (await req('GET', '/api/roots?limit=200')).json().items.map((r: { name: string }) => r.name);
    expect(names.filter((n: string) => n === 'Once only')).toHaveLength(1);
    expect(names).not.toContain('Something else');
  });
});
