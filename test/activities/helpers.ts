import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { sql } from '../foundation/helpers';
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

/** A timestamp as each driver stores it (SQLite: TypeORM's text form; PostgreSQL: ISO). */
export function dbTime(t: TestApp, iso: string): string {
  return t.db.engine === 'postgres' ? iso : new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Practice rows written straight into the database: sessions, instances and values are built by
 * routes of their own (later work), and these tests need them only as data that exists.
 */
export function practice(t: TestApp, rootId: string) {
  const ds = t.db.dataSource;
  let shortTermGoal: string | undefined;
  const run = (text: string, params: unknown[]) => sqlOf(t)(text, params);
  return {
    async session(name: string, start: string, extra: { templateId?: string; completed?: boolean; sessionData?: unknown; totalDurationSeconds?: number } = {}) {
      if (!shortTermGoal) {
        let parent = rootId;
        for (const type of ['LongTermGoal', 'MidTermGoal', 'ShortTermGoal']) {
          const id = randomUUID();
          await run(`INSERT INTO goals (id, root_id, parent_id, type, name) VALUES (?, ?, ?, ?, ?)`, [id, rootId, parent, type, `${type} of ${name}`]);
          parent = id;
        }
        shortTermGoal = parent;
      }
      const id = randomUUID();
      await run(
        `INSERT INTO goals (id, root_id, parent_id, type, name, session_start, template_id, completed, session_data, total_duration_seconds) VALUES (?, ?, ?, 'PracticeSession', ?, ?, ?, ?, ?, ?)`,
        [
          id,
          rootId,
          shortTermGoal,
          name,
          dbTime(t, start),
          extra.templateId ?? null,
          t.db.engine === 'postgres' ? (extra.completed ?? false) : extra.completed ? 1 : 0,
          extra.sessionData === undefined ? null : JSON.stringify(extra.sessionData),
          extra.totalDurationSeconds ?? null,
        ],
      );
      return id;
    },
    async instance(sessionId: string, activityId: string, createdAt: string, extra: { durationSeconds?: number } = {}) {
      const id = randomUUID();
      await run(
        `INSERT INTO activity_instances (id, root_id, practice_session_id, activity_definition_id, created_at, duration_seconds) VALUES (?, ?, ?, ?, ?, ?)`,
        [id, rootId, sessionId, activityId, dbTime(t, createdAt), extra.durationSeconds ?? null],
      );
      return id;
    },
    async value(instanceId: string, metricId: string, value: number, splitId: string | null = null) {
      const id = randomUUID();
      await run(`INSERT INTO metric_values (id, root_id, activity_instance_id, metric_definition_id, split_definition_id, value) VALUES (?, ?, ?, ?, ?, ?)`, [
        id,
        rootId,
        instanceId,
        metricId,
        splitId,
        value,
      ]);
      return id;
    },
    row: async (table: string, id: string) => (await run(`SELECT * FROM "${table}" WHERE id = ?`, [id]))[0] as Record<string, any>,
    ds,
  };
}

export const sqlOf = (t: TestApp) => (text: string, params: unknown[] = []) => sql(t.db.dataSource, text, params);
