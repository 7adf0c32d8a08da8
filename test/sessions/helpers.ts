import { randomUUID } from 'node:crypto';
import { signUp } from '../auth/helpers';
import { createTestApp, TestApp } from '../helpers/db';
import { snapshotRoot } from '../helpers/seed';

type Json = Record<string, any>;

export interface Api {
  t: TestApp;
  token: string;
  userId: string;
  req(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ statusCode: number; headers: Record<string, any>; body: string; json(): any }>;
  /** `/api/roots/<root>` + path. */
  at(root: string, path: string): string;
  newRoot(name?: string): Promise<string>;
}

export async function sessionApi(email: string, env: NodeJS.ProcessEnv = {}): Promise<Api> {
  const t = await createTestApp(env);
  const token = (await signUp(t.app, email)).accessToken;
  const req: Api['req'] = (method, url, body, headers = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const userId = (await req('GET', '/api/auth/me')).json().id;
  return {
    t,
    token,
    userId,
    req,
    at: (root, path) => `/api/roots/${root}${path}`,
    newRoot: async (name = `Root ${randomUUID().slice(0, 8)}`) => {
      const res = await req('POST', '/api/roots', { name });
      if (res.statusCode !== 201) throw new Error(`root: ${res.statusCode} ${res.body}`);
      return res.json().id;
    },
  };
}

/**
 * Rows that other features' routes make (the goal tree, activities, templates), written
 * straight into the database: their routes have suites of their own.
 */
export function direct(api: Api, root: string) {
  const ds = api.t.db.dataSource;
  const base = { rootId: root, createdBy: api.userId, updatedBy: api.userId };
  const insert = async (entity: string, values: Json) => {
    const id = randomUUID();
    await ds.getRepository(entity).insert({ id, ...base, ...values });
    return id;
  };
  return {
    insert,
    /** UltimateGoal (the root) > LongTermGoal > MidTermGoal > ShortTermGoal, and a second short-term goal. */
    async tree() {
      const ltg = await insert('Goal', { type: 'LongTermGoal', name: 'Long', parentId: root });
      const mtg = await insert('Goal', { type: 'MidTermGoal', name: 'Mid', parentId: ltg });
      const stg = await insert('Goal', { type: 'ShortTermGoal', name: 'Short', parentId: mtg });
      const stg2 = await insert('Goal', { type: 'ShortTermGoal', name: 'Short 2', parentId: mtg });
      return { ltg, mtg, stg, stg2 };
    },
    /** An activity with metrics (name/unit) and splits (names). */
    async activity(name: string, options: { metrics?: string[]; splits?: string[]; hasSets?: boolean } = {}) {
      const id = await insert('ActivityDefinition', { name, hasSets: options.hasSets ?? false, hasSplits: (options.splits ?? []).length > 0 });
      const metrics: Record<string, string> = {};
      for (const [k, m] of (options.metrics ?? []).entries()) metrics[m] = await insert('MetricDefinition', { activityId: id, name: m, unit: m, sortOrder: k });
      const splits: Record<string, string> = {};
      for (const [k, s] of (options.splits ?? []).entries()) splits[s] = await insert('SplitDefinition', { activityId: id, name: s, order: k });
      return { id, metrics, splits };
    },
    /** A template with its sections and planned activities as rows. */
    async template(name: string, sections: { name: string; duration_minutes?: number; activities: { activity_id: string }[] }[]) {
      const templateId = await insert('SessionTemplate', { name });
      for (const [position, s] of sections.entries()) {
        const sectionId = await insert('SessionTemplateSection', { templateId, position, name: s.name, durationMinutes: s.duration_minutes ?? null });
        for (const [k, a] of s.activities.entries()) await insert('SessionTemplateActivity', { sectionId, activityId: a.activity_id, position: k });
      }
      return templateId;
    },
  };
}

export const snapshot = (api: Api, root: string) => snapshotRoot(api.t.db.dataSource, root);

/** Fails with the answer when a call does not succeed: for the steps a test builds on. */
export async function ok(api: Api, method: string, url: string, body?: unknown, headers?: Record<string, string>) {
  const res = await api.req(method, url, body, headers);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? undefined : res.json();
}

/** The fields a 400 names. */
export const fields = (res: { json(): any }) => (res.json().details ?? []).map((d: { field: string }) => d.field);
