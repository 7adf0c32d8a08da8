import { randomUUID } from 'node:crypto';
import { signUp } from '../auth/helpers';
import { createTestApp, TestApp } from '../helpers/db';
import { snapshotRoot } from '../helpers/seed';

export interface Api {
  t: TestApp;
  token: string;
  userId: string;
  /** A fresh root of this user, for one test's goals. */
  newRoot(name?: string): Promise<string>;
  req(method: string, url: string, payload?: unknown, headers?: Record<string, string>): ReturnType<TestApp['app']['inject']>;
  /** `/api/roots/:rootId` + path. */
  at(rootId: string, path: string): string;
  snapshot(rootId: string): Promise<string>;
}

/** The app, one signed-up user, and request helpers for the goal tree's routes. */
export async function goalApi(email = 'tree@example.com'): Promise<Api> {
  const t = await createTestApp();
  const token = (await signUp(t.app, email)).accessToken;
  const req: Api['req'] = (method, url, payload, headers = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const userId = (await req('GET', '/api/auth/me')).json().id;
  return {
    t,
    token,
    userId,
    req,
    at: (rootId, path) => `/api/roots/${rootId}${path}`,
    newRoot: async (name = `Root ${randomUUID()}`) => {
      const res = await req('POST', '/api/roots', { name });
      if (res.statusCode !== 201) throw new Error(`root: ${res.statusCode} ${res.body}`);
      return res.json().id;
    },
    snapshot: (rootId) => snapshotRoot(t.db.dataSource, rootId),
  };
}

/** Adds a chain UltimateGoal > LongTermGoal > MidTermGoal > ShortTermGoal under a new root. */
export async function chain(api: Api, rootId: string) {
  const add = async (parentId: string, type: string, name: string) => {
    const res = await api.req('POST', api.at(rootId, '/goals'), { parentId, type, name });
    if (res.statusCode !== 201) throw new Error(`${type}: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  const ltg = await add(rootId, 'LongTermGoal', 'Long');
  const mtg = await add(ltg, 'MidTermGoal', 'Mid');
  const stg = await add(mtg, 'ShortTermGoal', 'Short');
  return { root: rootId, ltg, mtg, stg, add };
}

const at = (iso: string) => new Date(iso);

/**
 * Practice written straight into the database, as the practice side will write it: a session
 * under a goal, an activity with metrics, instances and values.
 */
export function practice(api: Api, rootId: string) {
  const ds = api.t.db.dataSource;
  const base = () => ({ id: randomUUID(), rootId, createdBy: api.userId, updatedBy: api.userId });
  return {
    async activity(name: string, metrics: string[]) {
      const activity = base();
      await ds.getRepository('ActivityDefinition').insert({ ...activity, name });
      const ids: Record<string, string> = {};
      for (const m of metrics) {
        const metric = base();
        await ds.getRepository('MetricDefinition').insert({ ...metric, activityId: activity.id, name: m, unit: m });
        ids[m] = metric.id;
      }
      return { id: activity.id, metrics: ids };
    },
    async session(parentId: string, start: string, name = 'Session') {
      const s = base();
      await ds.getRepository('Goal').insert({ ...s, type: 'PracticeSession', name, parentId, sessionStart: at(start), sessionEnd: new Date(at(start).getTime() + 3600e3) });
      return s.id;
    },
    async link(sessionId: string, goalId: string) {
      await ds.getRepository('PracticeSessionGoal').insert({ ...base(), practiceSessionId: sessionId, shortTermGoalId: goalId });
    },
    async instance(sessionId: string, activityId: string, start: string, values: Record<string, number>) {
      const i = base();
      await ds.getRepository('ActivityInstance').insert({ ...i, practiceSessionId: sessionId, activityDefinitionId: activityId, timeStart: at(start) });
      const valueIds: Record<string, string> = {};
      for (const [metricId, value] of Object.entries(values)) {
        const v = base();
        await ds.getRepository('MetricValue').insert({ ...v, activityInstanceId: i.id, metricDefinitionId: metricId, value });
        valueIds[metricId] = v.id;
      }
      return { id: i.id, values: valueIds };
    },
    async setValue(valueId: string, value: number) {
      await ds.getRepository('MetricValue').update({ id: valueId }, { value });
    },
  };
}
