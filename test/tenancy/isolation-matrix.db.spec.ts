import { randomUUID } from 'node:crypto';
import { routesOf } from '../../src/app.factory';
import { login, PASSWORD, signUp } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { SeededIds, seedTenant, snapshotRoot } from '../helpers/seed';

/**
 * B calls every route of the app with A's ids. The route list is read from the router at test
 * time: a new route that this file cannot classify fails the suite until it is covered.
 */

/** Routes that answer without a token, each a deliberate decision. */
const PUBLIC_ROUTES = new Set([
  'GET /health',
  'GET /health/ready',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
]);

/** Route params other than :rootId, and which seeded row of A stands in for them. */
const PARAM_IDS: Record<string, keyof SeededIds | string> = {
  goalId: 'goals',
  sessionId: 'session',
  groupId: 'activity_groups',
  activityId: 'activity_definitions',
  metricId: 'metric_definitions',
  splitId: 'split_definitions',
  instanceId: 'activity_instances',
  valueId: 'metric_values',
  templateId: 'session_templates',
  programId: 'programs',
  blockId: 'program_blocks',
  dayId: 'program_days',
  scheduledSessionId: 'scheduled_sessions',
  linkId: 'practice_session_goals',
  targetId: 'goal_targets',
  sectionId: 'session_sections',
  deletionId: 'deletion',
  noteId: 'notes',
  // Not a route param: ids that sample bodies name.
  shortTermGoalId: 'shortTermGoal',
};

/** Route params that are not ids, with a valid value: a level is named by its type. */
const PARAM_VALUES: Record<string, string> = { type: 'LongTermGoal' };

/**
 * Valid bodies for the write routes under a root, built from the ids they are given (param
 * names: goalId, activityId, ...), so that a 404 cannot hide behind a 400. The matrix sends
 * them with another root's ids in the path, and, in the caller's own root and path, with
 * another root's ids in the body: 404 or 400, and nothing written in either root.
 */
type SampleBody = (ids: Record<string, string>) => unknown;
const section = (ids: Record<string, string>) => ({ name: 'S', durationMinutes: 5, activities: [{ activityId: ids.activityId }] });
const SAMPLE_BODIES: Record<string, SampleBody> = {
  'POST /api/roots/:rootId/goals': (ids) => ({ parentId: ids.rootId, type: 'LongTermGoal', name: 'Into A' }),
  'PATCH /api/roots/:rootId/goals/:goalId': () => ({ name: 'Renamed by B' }),
  'POST /api/roots/:rootId/goals/:goalId/move': (ids) => ({ parentId: ids.rootId }),
  'POST /api/roots/:rootId/goals/:goalId/copy': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/restore': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/complete': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/uncomplete': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/pause': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/resume': () => ({}),
  'POST /api/roots/:rootId/goals/:goalId/targets': (ids) => ({
    activityId: ids.activityId,
    kind: 'threshold',
    conditions: [{ metricId: ids.metricId, operator: '>=', value: 1 }],
  }),
  'POST /api/roots/:rootId/goals/:goalId/targets/evaluate': () => ({}),
  'PATCH /api/roots/:rootId/goals/:goalId/targets/:targetId': (ids) => ({
    activityId: ids.activityId,
    conditions: [{ metricId: ids.metricId, operator: '<=', value: 2 }],
  }),
  'POST /api/roots/:rootId/activity-groups': (ids) => ({ name: 'Nested', parentId: ids.groupId }),
  'PATCH /api/roots/:rootId/activity-groups/:groupId': (ids) => ({ name: 'Renamed', parentId: ids.groupId }),
  'PUT /api/roots/:rootId/activity-groups/order': (ids) => ({ ids: [ids.groupId] }),
  'POST /api/roots/:rootId/activities': (ids) => ({ name: 'Grouped', groupId: ids.groupId }),
  'PATCH /api/roots/:rootId/activities/:activityId': (ids) => ({
    groupId: ids.groupId,
    metrics: [{ id: ids.metricId, name: 'Reps', unit: 'reps' }],
    splits: [{ id: ids.splitId, name: 'Left' }],
  }),
  'PUT /api/roots/:rootId/goals/:goalId/activities': (ids) => ({ activityIds: [ids.activityId], groupIds: [ids.groupId] }),
  'POST /api/roots/:rootId/session-templates': (ids) => ({ name: 'Planned', sections: [section(ids)] }),
  'PATCH /api/roots/:rootId/session-templates/:templateId': (ids) => ({ sections: [section(ids)] }),
  'POST /api/roots/:rootId/sessions': (ids) => ({ parentGoalIds: [ids.shortTermGoalId], templateId: ids.templateId }),
  'PATCH /api/roots/:rootId/sessions/:sessionId': (ids) => ({ sections: [{ name: 'S', instanceIds: [ids.instanceId] }] }),
  'POST /api/roots/:rootId/sessions/:sessionId/pause': () => ({}),
  'POST /api/roots/:rootId/sessions/:sessionId/resume': () => ({}),
  'POST /api/roots/:rootId/sessions/:sessionId/complete': () => ({}),
  'POST /api/roots/:rootId/sessions/:sessionId/duplicate': () => ({}),
  'POST /api/roots/:rootId/sessions/:sessionId/template': () => ({ name: 'Plan copied by B' }),
  'POST /api/roots/:rootId/sessions/:sessionId/restore': () => ({}),
  'POST /api/roots/:rootId/trash/:deletionId/restore': () => ({}),
  'POST /api/roots/:rootId/sessions/:sessionId/activities': (ids) => ({ activityId: ids.activityId }),
  'PUT /api/roots/:rootId/sessions/:sessionId/activities/order': (ids) => ({ ids: [ids.instanceId] }),
  'PATCH /api/roots/:rootId/activity-instances/:instanceId': (ids) => ({ sectionId: ids.sectionId }),
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/start': () => ({}),
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/pause': () => ({}),
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/resume': () => ({}),
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/stop': () => ({}),
  'PUT /api/roots/:rootId/activity-instances/:instanceId/sets': (ids) => ({ sets: [{ values: [{ metricId: ids.metricId, splitId: ids.splitId, value: 1 }] }] }),
  'PUT /api/roots/:rootId/activity-instances/:instanceId/metrics': (ids) => ({ values: [{ metricId: ids.metricId, splitId: ids.splitId, value: 1 }] }),
  'POST /api/roots/:rootId/programs': (ids) => ({ name: 'Plan', startDate: '2027-01-01', endDate: '2027-01-31', goalIds: [ids.shortTermGoalId] }),
  'PATCH /api/roots/:rootId/programs/:programId': (ids) => ({ goalIds: [ids.shortTermGoalId] }),
  'POST /api/roots/:rootId/programs/:programId/restore': () => ({}),
  'POST /api/roots/:rootId/programs/:programId/blocks': (ids) => ({ name: 'B', startDate: '2026-01-05', endDate: '2026-01-20', goalIds: [ids.shortTermGoalId] }),
  'PATCH /api/roots/:rootId/programs/:programId/blocks/:blockId': (ids) => ({ goalIds: [ids.shortTermGoalId] }),
  'POST /api/roots/:rootId/programs/:programId/blocks/:blockId/days': (ids) => ({ date: '2026-01-10', templates: [{ templateId: ids.templateId }] }),
  'PATCH /api/roots/:rootId/programs/:programId/blocks/:blockId/days/:dayId': (ids) => ({ templates: [{ templateId: ids.templateId, required: false }] }),
  'POST /api/roots/:rootId/programs/:programId/blocks/:blockId/days/:dayId/copy': (ids) => ({ toBlockId: ids.blockId }),
  'POST /api/roots/:rootId/programs/:programId/days/:dayId/schedule': (ids) => ({ date: '2026-01-05', templateId: ids.templateId, parentGoalIds: [ids.shortTermGoalId] }),
  'POST /api/roots/:rootId/programs/:programId/days/:dayId/unschedule': () => ({ date: '2026-01-05' }),
  'POST /api/roots/:rootId/notes': (ids) => ({ content: 'Into A', about: { type: 'goal', id: ids.goalId } }),
  'PATCH /api/roots/:rootId/notes/:noteId': () => ({ content: 'Changed by B' }),
  'POST /api/roots/:rootId/notes/:noteId/pin': () => ({}),
  'POST /api/roots/:rootId/notes/:noteId/unpin': () => ({}),
};

/** Write routes whose bodies name no id, each a deliberate decision: nothing to try in the body. */
const BODY_WITHOUT_IDS = new Set([
  'PATCH /api/roots/:rootId',
  'POST /api/roots/:rootId/restore',
  'PATCH /api/roots/:rootId/goals/:goalId',
  'POST /api/roots/:rootId/goals/:goalId/copy',
  'POST /api/roots/:rootId/goals/:goalId/restore',
  'POST /api/roots/:rootId/goals/:goalId/complete',
  'POST /api/roots/:rootId/goals/:goalId/uncomplete',
  'POST /api/roots/:rootId/goals/:goalId/pause',
  'POST /api/roots/:rootId/goals/:goalId/resume',
  'POST /api/roots/:rootId/goals/:goalId/targets/evaluate',
  'PATCH /api/roots/:rootId/levels/:type',
  'POST /api/roots/:rootId/sessions/:sessionId/pause',
  'POST /api/roots/:rootId/sessions/:sessionId/resume',
  'POST /api/roots/:rootId/sessions/:sessionId/complete',
  'POST /api/roots/:rootId/sessions/:sessionId/duplicate',
  'POST /api/roots/:rootId/sessions/:sessionId/template',
  'POST /api/roots/:rootId/sessions/:sessionId/restore',
  'POST /api/roots/:rootId/trash/:deletionId/restore',
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/start',
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/pause',
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/resume',
  'POST /api/roots/:rootId/activity-instances/:instanceId/timer/stop',
  'POST /api/roots/:rootId/programs/:programId/restore',
  'POST /api/roots/:rootId/programs/:programId/days/:dayId/unschedule',
  'PATCH /api/roots/:rootId/notes/:noteId',
  'POST /api/roots/:rootId/notes/:noteId/pin',
  'POST /api/roots/:rootId/notes/:noteId/unpin',
]);

type Caller = { token: string; password: string; userId: string; seeded: SeededIds };

/** Authenticated routes outside a root: each checks that B sees and touches only B's own data. */
const USER_ROUTES: Record<string, (t: TestApp, a: Caller, b: Caller) => Promise<void>> = {
  'GET /api/auth/me': async (t, _a, b) => {
    const res = await call(t, 'GET', '/api/auth/me', b.token);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(b.userId);
  },
  // Both end B's logins, b.token included: each hands B a live token again for the routes after it.
  'POST /api/auth/password': async (t, _a, b) => {
    const res = await call(t, 'POST', '/api/auth/password', b.token, { currentPassword: b.password, newPassword: `${b.password} B` });
    expect(res.statusCode).toBe(200);
    b.password = `${b.password} B`;
    expect((await call(t, 'GET', '/api/auth/me', b.token)).statusCode).toBe(401);
    b.token = res.json().accessToken;
    expect((await login(t.app, 'a@example.com', PASSWORD)).statusCode).toBe(200);
    expect((await login(t.app, 'b@example.com', b.password)).statusCode).toBe(200);
  },
  'POST /api/auth/logout-all': async (t, a, b) => {
    expect((await call(t, 'POST', '/api/auth/logout-all', b.token)).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/auth/me', b.token)).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', a.token)).statusCode).toBe(200);
    b.token = (await login(t.app, 'b@example.com', b.password)).json().accessToken;
  },
  'PATCH /api/auth/me': async (t, a, b) => {
    const res = await call(t, 'PATCH', '/api/auth/me', b.token, { displayName: 'B' });
    expect(res.json()).toMatchObject({ id: b.userId, displayName: 'B' });
    expect((await call(t, 'GET', '/api/auth/me', a.token)).json()).toMatchObject({ id: a.userId, displayName: null });
  },
  'GET /api/roots': async (t, a, b) => {
    const res = await call(t, 'GET', '/api/roots?limit=200', b.token);
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((r: { id: string }) => r.id);
    expect(ids).toContain(b.seeded.root);
    expect(ids).not.toContain(a.seeded.root);
  },
  'POST /api/roots': async (t, a, b) => {
    const res = await call(t, 'POST', '/api/roots', b.token, { name: `Root A` });
    expect(res.statusCode).toBe(201);
    const list = await call(t, 'GET', '/api/roots?limit=200', a.token);
    expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(res.json().id);
  },
};

function call(t: TestApp, method: string, url: string, token: string, payload?: unknown) {
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

function fill(url: string, ids: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = ids[name] ?? PARAM_VALUES[name];
    if (!value) throw new Error(`Route param :${name} has no isolation coverage: add it to PARAM_IDS`);
    return value;
  });
}

function paramIds(seeded: SeededIds, rootId: string, userId?: string): Record<string, string> {
  const ids: Record<string, string> = { rootId, ...(userId ? { userId } : {}) };
  for (const [param, key] of Object.entries(PARAM_IDS)) ids[param] = seeded[key as string];
  return ids;
}

describeDb('isolation matrix', () => {
  let t: TestApp;
  let a: Caller;
  let b: Caller;
  let before: string;

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.db.dataSource;
    const callers: Caller[] = [];
    for (const label of ['a', 'b']) {
      const tokens = await signUp(t.app, `${label}@example.com`);
      const userId = (await call(t, 'GET', '/api/auth/me', tokens.accessToken)).json().id;
      const seeded = await seedTenant(ds, userId, randomUUID(), label.toUpperCase());
      callers.push({ token: tokens.accessToken, password: PASSWORD, userId, seeded });
    }
    [a, b] = callers;
    before = await snapshotRoot(ds, a.seeded.root);
  });
  afterAll(async () => t?.close());

  const routes = () => routesOf(t.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');

  it('reads the routes from the router', () => {
    expect(routes().length).toBeGreaterThanOrEqual(PUBLIC_ROUTES.size + 6);
  });

  it('every route is public by decision, or refuses a request without a token', async () => {
    for (const r of routes()) {
      const key = `${r.method} ${r.url}`;
      const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, paramIds(a.seeded, a.seeded.root, a.userId)) });
      if (PUBLIC_ROUTES.has(key)) expect({ key, status: res.statusCode }).not.toEqual({ key, status: 401 });
      else expect({ key, status: res.statusCode }).toEqual({ key, status: 401 });
    }
  });

  it("answers 404 (or 403 on admin routes) to B for every route given A's ids", async () => {
    const unknownRoot = randomUUID();
    let checked = 0;
    for (const r of routes()) {
      const key = `${r.method} ${r.url}`;
      if (PUBLIC_ROUTES.has(key)) continue;
      const aIds = paramIds(a.seeded, a.seeded.root);
      const body = SAMPLE_BODIES[key]?.(aIds) ?? {};
      if (r.url.startsWith('/api/admin')) {
        const res = await call(t, r.method, fill(r.url, paramIds(a.seeded, a.seeded.root, a.userId)), b.token, body);
        expect({ key, status: res.statusCode }).toEqual({ key, status: 403 });
        checked++;
        continue;
      }
      if (!r.url.includes(':rootId')) {
        const check = USER_ROUTES[key];
        if (!check) throw new Error(`${key} has no isolation coverage: add it to USER_ROUTES`);
        await check(t, a, b);
        checked++;
        continue;
      }
      if (['POST', 'PUT', 'PATCH'].includes(r.method) && !(key in SAMPLE_BODIES) && !BODY_WITHOUT_IDS.has(key)) {
        throw new Error(`${key} takes a body: add it to SAMPLE_BODIES (with ids of the root it is given) or to BODY_WITHOUT_IDS`);
      }
      const foreign = await call(t, r.method, fill(r.url, paramIds(a.seeded, a.seeded.root)), b.token, body);
      const unknown = await call(t, r.method, fill(r.url, paramIds(a.seeded, unknownRoot)), b.token, body);
      expect({ key, status: foreign.statusCode }).toEqual({ key, status: 404 });
      expect({ key, body: foreign.json() }).toEqual({ key, body: unknown.json() });
      const idParams = (r.url.match(/:[A-Za-z]+/g) ?? []).filter((p) => p !== ':rootId' && !(p.slice(1) in PARAM_VALUES));
      if (idParams.length > 0 || (key in SAMPLE_BODIES && !BODY_WITHOUT_IDS.has(key))) {
        if (r.method !== 'GET' && r.method !== 'DELETE' && !(key in SAMPLE_BODIES)) {
          throw new Error(`${key} needs a valid body in SAMPLE_BODIES so that its 404 is not a 400`);
        }
        // B's own root, A's child ids (in the path or the body): the root is admitted, the scoped layer must still say 404.
        const mixed = await call(t, r.method, fill(r.url, paramIds(a.seeded, b.seeded.root)), b.token, body);
        expect({ key, status: mixed.statusCode }).toEqual({ key, status: 404 });
      }
      const sample = SAMPLE_BODIES[key];
      if (sample && !BODY_WITHOUT_IDS.has(key)) {
        // B's own root and B's own ids in the path, A's ids in the body: refused, nothing written in B.
        const beforeB = await snapshotRoot(t.db.dataSource, b.seeded.root);
        const own = paramIds(b.seeded, b.seeded.root);
        const res = await call(t, r.method, fill(r.url, own), b.token, sample(aIds));
        expect({ key, status: [400, 404].includes(res.statusCode) }).toEqual({ key, status: true });
        expect({ key, unchanged: (await snapshotRoot(t.db.dataSource, b.seeded.root)) === beforeB }).toEqual({ key, unchanged: true });
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("leaves A's rows byte-identical", async () => {
    expect(await snapshotRoot(t.db.dataSource, a.seeded.root)).toBe(before);
  });

  it('A still reaches its own root', async () => {
    const res = await call(t, 'GET', `/api/roots/${a.seeded.root}`, a.token);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(a.seeded.root);
  });
});
