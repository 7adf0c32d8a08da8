import type { LightMyRequestResponse } from 'fastify';
import { signUp } from '../auth/helpers';
import { createTestApp, TestApp } from '../helpers/db';
import { snapshotRoot } from '../helpers/seed';

export type Res = LightMyRequestResponse;

/** One user with one root, and calls under /api/roots/:rootId. */
export interface RootClient {
  t: TestApp;
  token: string;
  rootId: string;
  /** A call under the root: `call('POST', '/activities', body)`. */
  call(method: string, path: string, payload?: unknown, headers?: Record<string, string>): Promise<Res>;
  /** Another root of the same user. */
  newRoot(name: string): Promise<string>;
}

export async function rootClient(t: TestApp, email: string, rootName = 'Music'): Promise<RootClient> {
  const token = (await signUp(t.app, email)).accessToken;
  const raw = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const newRoot = async (name: string) => {
    const res = await raw('POST', '/api/roots', { name });
    if (res.statusCode !== 201) throw new Error(`root ${name}: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  const rootId = await newRoot(rootName);
  return { t, token, rootId, newRoot, call: (method, path, payload, headers) => raw(method, `/api/roots/${rootId}${path}`, payload, headers) };
}

export async function appWithTwoUsers(): Promise<{ t: TestApp; a: RootClient; b: RootClient }> {
  const t = await createTestApp();
  const a = await rootClient(t, 'a@example.com', 'Root A');
  const b = await rootClient(t, 'b@example.com', 'Root B');
  return { t, a, b };
}

/** The fields a 4xx names in its details. */
export const fields = (res: Res): string[] => (res.json().details ?? []).map((d: { field: string }) => d.field);

/** A 4xx in the shared error shape that names `field` (when given). */
export function expectRefusal(res: Res, status: number, field?: string): void {
  const body = res.json();
  expect({ status: res.statusCode, body }).toMatchObject({ status, body: { statusCode: status, error: expect.any(String), message: expect.any(String) } });
  if (field !== undefined) expect({ body, named: fields(res) }).toMatchObject({ named: expect.arrayContaining([field]) });
}

/**
 * Runs the calls and checks that every tenant row of the root is byte-identical afterwards:
 * a refused request writes nothing.
 */
export async function unchanged(t: TestApp, rootId: string, fn: () => Promise<void>): Promise<void> {
  const before = await snapshotRoot(t.db.dataSource, rootId);
  await fn();
  expect(await snapshotRoot(t.db.dataSource, rootId)).toBe(before);
}

/** Every page of a list, following nextCursor. */
export async function allPages<T = any>(c: RootClient, path: string, limit = 2): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await c.call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: T[]; nextCursor: string | null };
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
