/**
 * The raw baseline's reads: the session view of src/sessions/session-reader.ts, as lean SQL
 * on statements prepared once per connection, with the same pure functions for the timers and
 * the comparisons. The same queries as src/sessions/session-rows.ts (one per kind of row, all
 * instances at once; the previous instances and the earlier extremes as the API asks for them,
 * the latter with the same CROSS JOIN order and the same walk for the latest instances), so that
 * the ratio measures the layers, not a different plan.
 */
import type Database from 'better-sqlite3';
import { compare, Extremes, Recorded } from '../src/sessions/comparisons';
import { MetricRules } from '../src/sessions/metric-rules';
import { activeSeconds, timerState } from '../src/sessions/timer';

export type Row = Record<string, any>;
export const timeOf = (t: string | null): Date | null => (t === null || t === undefined ? null : new Date(`${t.replace(' ', 'T')}Z`));
export const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const bool = (v: unknown) => v === 1 || v === true;

const cache = new WeakMap<Database.Database, Record<string, Database.Statement>>();
const IDS = `(SELECT value FROM json_each(?))`;

/** As src/sessions/session-rows.ts `extreme`: the walk from the best (DESC) or worst (ASC) value down. */
const extreme = (direction: 'ASC' | 'DESC', split: boolean) => `(SELECT v.value FROM metric_values v
         CROSS JOIN activity_instances p
         WHERE v.root_id = cur.root_id AND v.deleted_at IS NULL AND p.root_id = cur.root_id AND p.deleted_at IS NULL
           AND v.metric_definition_id = k.metric_definition_id AND ${split ? 'v.split_definition_id = k.split_definition_id' : 'v.split_definition_id IS NULL'}
           AND p.id = v.activity_instance_id AND p.created_at < cur.created_at AND p.practice_session_id <> cur.practice_session_id
         ORDER BY v.value ${direction} LIMIT 1)`;

function statements(db: Database.Database): Record<string, Database.Statement> {
  let s = cache.get(db);
  if (s) return s;
  s = {
    session: db.prepare(`SELECT * FROM goals WHERE root_id = ? AND id = ? AND type = 'PracticeSession' AND deleted_at IS NULL`),
    goals: db.prepare(
      `SELECT g.id, g.type, g.name, g.completed FROM goals g
       JOIN practice_session_goals l ON l.short_term_goal_id = g.id AND l.deleted_at IS NULL
       WHERE g.root_id = ? AND l.practice_session_id = ? AND g.deleted_at IS NULL ORDER BY g.created_at, g.id`,
    ),
    immediate: db.prepare(`SELECT id, name, description, completed FROM goals WHERE root_id = ? AND parent_id = ? AND deleted_at IS NULL ORDER BY sort_order, created_at, id`),
    noteCount: db.prepare(`SELECT count(*) AS n FROM notes WHERE root_id = ? AND about_id = ? AND deleted_at IS NULL`),
    sections: db.prepare(`SELECT id, position, name, duration_minutes FROM session_sections WHERE root_id = ? AND session_id = ? AND deleted_at IS NULL ORDER BY position`),
    instances: db.prepare(`SELECT * FROM activity_instances WHERE root_id = ? AND practice_session_id = ? AND deleted_at IS NULL ORDER BY sort_order, created_at, id`),
    activities: db.prepare(`SELECT id, name, has_sets FROM activity_definitions WHERE root_id = ? AND id IN ${IDS}`),
    metrics: db.prepare(`SELECT id, name, unit, sort_order, min_value, max_value, higher_is_better FROM metric_definitions WHERE root_id = ? AND activity_id IN ${IDS}`),
    splits: db.prepare(`SELECT id, name, "order" FROM split_definitions WHERE root_id = ? AND activity_id IN ${IDS}`),
    sets: db.prepare(`SELECT activity_instance_id, position, notes FROM activity_sets WHERE root_id = ? AND activity_instance_id IN ${IDS} AND deleted_at IS NULL ORDER BY position`),
    values: db.prepare(
      `SELECT id, activity_instance_id, metric_definition_id, split_definition_id, set_index, value FROM metric_values WHERE root_id = ? AND activity_instance_id IN ${IDS} AND deleted_at IS NULL`,
    ),
    previous: db.prepare(
      `SELECT cur.id, p.id AS previous_id, p.practice_session_id, p.time_start, p.created_at,
         EXISTS (SELECT 1 FROM activity_instances n WHERE n.root_id = cur.root_id AND n.deleted_at IS NULL
           AND n.activity_definition_id = cur.activity_definition_id AND n.practice_session_id <> cur.practice_session_id AND n.created_at > cur.created_at) AS has_later
       FROM activity_instances cur
       JOIN activity_instances p ON p.root_id = cur.root_id AND p.deleted_at IS NULL AND p.id = (
         SELECT q.id FROM activity_instances q WHERE q.root_id = cur.root_id AND q.deleted_at IS NULL
           AND q.activity_definition_id = cur.activity_definition_id AND q.practice_session_id <> cur.practice_session_id AND q.created_at < cur.created_at
         ORDER BY q.created_at DESC, q.id DESC LIMIT 1)
       WHERE cur.root_id = ? AND cur.id IN ${IDS} AND cur.deleted_at IS NULL`,
    ),
    earliest: db.prepare(
      `SELECT cur.id AS instance_id, k.metric_definition_id AS metric_id, k.split_definition_id AS split_id,
         CASE WHEN k.split_definition_id IS NULL THEN ${extreme('DESC', false)} ELSE ${extreme('DESC', true)} END AS max,
         CASE WHEN k.split_definition_id IS NULL THEN ${extreme('ASC', false)} ELSE ${extreme('ASC', true)} END AS min
       FROM activity_instances cur
       CROSS JOIN metric_values k
       WHERE cur.root_id = ? AND cur.id IN ${IDS} AND cur.deleted_at IS NULL
         AND k.root_id = cur.root_id AND k.activity_instance_id = cur.id AND k.deleted_at IS NULL`,
    ),
    earlier: db.prepare(
      `SELECT cur.id AS instance_id, v.metric_definition_id AS metric_id, v.split_definition_id AS split_id, MAX(v.value) AS max, MIN(v.value) AS min
       FROM activity_instances cur
       CROSS JOIN activity_instances p
       CROSS JOIN metric_values v
       WHERE cur.root_id = ? AND cur.id IN ${IDS} AND cur.deleted_at IS NULL
         AND p.root_id = cur.root_id AND p.activity_definition_id = cur.activity_definition_id
         AND p.practice_session_id <> cur.practice_session_id AND p.created_at < cur.created_at AND p.deleted_at IS NULL
         AND v.root_id = p.root_id AND v.activity_instance_id = p.id AND v.deleted_at IS NULL
       GROUP BY cur.id, v.metric_definition_id, v.split_definition_id`,
    ),
  };
  cache.set(db, s);
  return s;
}

export function readSession(db: Database.Database, rootId: string, sessionId: string): Row | undefined {
  const st = statements(db);
  const s = st.session.get(rootId, sessionId) as Row | undefined;
  if (!s) return undefined;
  const now = new Date();
  const goals = (st.goals.all(rootId, s.id) as Row[]).sort((a, b) => Number(b.id === s.parent_id) - Number(a.id === s.parent_id));
  const immediate = st.immediate.all(rootId, s.id) as Row[];
  const sections = st.sections.all(rootId, s.id) as Row[];
  const instances = readInstances(db, rootId, st.instances.all(rootId, s.id) as Row[], now);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    parentGoalId: s.parent_id,
    templateId: s.template_id,
    sessionStart: timeOf(s.session_start),
    sessionEnd: timeOf(s.session_end),
    pausedAt: timeOf(s.session_paused_at),
    completed: bool(s.completed),
    completedAt: timeOf(s.completed_at),
    totalDurationSeconds: s.total_duration_seconds,
    createdAt: timeOf(s.created_at),
    updatedAt: timeOf(s.updated_at),
    version: s.version,
    goals: goals.map((g) => ({ id: g.id, type: g.type, name: g.name, completed: bool(g.completed) })),
    immediateGoals: immediate.map((g) => ({ id: g.id, name: g.name, description: g.description, completed: bool(g.completed) })),
    sections: sections.map((x) => {
      const own = instances.filter((i) => i.sectionId === x.id);
      return { id: x.id, position: x.position, name: x.name, durationMinutes: x.duration_minutes, instanceIds: own.map((i) => i.id), activeSeconds: own.reduce((n, i) => n + i.activeSeconds, 0) };
    }),
    instances,
    activeSeconds: instances.reduce((n, i) => n + i.activeSeconds, 0),
    noteCount: (st.noteCount.get(rootId, s.id) as Row).n,
  };
}

/** Instance views, all at once, as SessionReader.views builds them. */
export function readInstances(db: Database.Database, rootId: string, rows: Row[], now: Date): Row[] {
  if (rows.length === 0) return [];
  const st = statements(db);
  const ids = JSON.stringify(rows.map((i) => i.id));
  const activityIds = JSON.stringify([...new Set(rows.map((i) => i.activity_definition_id))]);
  const activityById = new Map((st.activities.all(rootId, activityIds) as Row[]).map((a) => [a.id, a]));
  const metricById = new Map((st.metrics.all(rootId, activityIds) as Row[]).map((m) => [m.id, m]));
  const splitById = new Map((st.splits.all(rootId, activityIds) as Row[]).map((x) => [x.id, x]));
  const sets = st.sets.all(rootId, ids) as Row[];
  const values = st.values.all(rootId, ids) as Row[];
  const previousOf = new Map((st.previous.all(rootId, ids) as Row[]).map((r) => [r.id as string, r]));
  const previousIds = JSON.stringify([...new Set([...previousOf.values()].map((p) => p.previous_id))]);
  const previousValues = previousOf.size ? (st.values.all(rootId, previousIds) as Row[]) : [];
  // As SessionRows.earlierExtremes: the latest instances of their activity walk from the best value down.
  const previousList = [...previousOf.values()];
  const latest = previousList.filter((r) => !r.has_later).map((r) => r.id);
  const others = previousList.filter((r) => r.has_later).map((r) => r.id);
  const found = [
    ...(latest.length ? (st.earliest.all(rootId, JSON.stringify(latest)) as Row[]) : []),
    ...(others.length ? (st.earlier.all(rootId, JSON.stringify(others)) as Row[]) : []),
  ];
  const byKey = new Map<string, Map<string, Extremes>>();
  for (const r of found) {
    if (r.max === null) continue;
    const keys = byKey.get(r.instance_id) ?? new Map<string, Extremes>();
    keys.set(`${r.metric_id}\u0000${r.split_id}`, { metricId: r.metric_id, splitId: r.split_id, max: Number(r.max), min: Number(r.min) });
    byKey.set(r.instance_id, keys);
  }
  const earlier = new Map<string, Extremes[]>([...byKey].map(([id, keys]) => [id, [...keys.values()]]));
  const rules = (metricId: string): MetricRules => {
    const m = metricById.get(metricId);
    return m ? { min: m.min_value ?? null, max: m.max_value ?? null, higherIsBetter: m.higher_is_better === null ? true : bool(m.higher_is_better) } : { min: null, max: null, higherIsBetter: true };
  };
  const metricOrder = (v: Row) => metricById.get(v.metric_definition_id)?.sort_order ?? 0;
  const splitOrder = (v: Row) => (v.split_definition_id ? (splitById.get(v.split_definition_id)?.order ?? 0) : -1);
  const valueView = (v: Row) => {
    const m = metricById.get(v.metric_definition_id);
    const x = v.split_definition_id ? splitById.get(v.split_definition_id) : undefined;
    return { id: v.id, metricId: v.metric_definition_id, metricName: m?.name ?? '', unit: m?.unit ?? '', splitId: v.split_definition_id, splitName: x?.name ?? null, setIndex: v.set_index, value: Number(v.value) };
  };
  const recorded = (list: Row[]): Recorded[] => list.map((v) => ({ metricId: v.metric_definition_id, splitId: v.split_definition_id, value: Number(v.value) }));
  const sorted = (list: Row[]) =>
    [...list].sort((a, b) => a.set_index - b.set_index || metricOrder(a) - metricOrder(b) || splitOrder(a) - splitOrder(b) || a.id.localeCompare(b.id));

  return rows.map((r) => {
    const timed = {
      timeStart: timeOf(r.time_start),
      timeStop: timeOf(r.time_stop),
      pausedAt: timeOf(r.paused_at),
      totalPausedSeconds: r.total_paused_seconds,
      durationSeconds: r.duration_seconds,
    };
    const activity = activityById.get(r.activity_definition_id);
    const hasSets = activity ? bool(activity.has_sets) : false;
    const own = sorted(values.filter((v) => v.activity_instance_id === r.id));
    const ownSets = sets.filter((x) => x.activity_instance_id === r.id);
    const setCount = Math.max(0, ...ownSets.map((x) => x.position + 1), ...(hasSets ? own.map((v) => v.set_index + 1) : []));
    const prev = previousOf.get(r.id);
    return {
      id: r.id,
      sessionId: r.practice_session_id,
      activityId: r.activity_definition_id,
      activityName: activity?.name ?? '',
      hasSets,
      sectionId: r.section_id,
      position: r.sort_order,
      notes: r.notes,
      completed: bool(r.completed),
      timer: timerState(timed),
      timeStart: timed.timeStart,
      timeStop: timed.timeStop,
      pausedAt: timed.pausedAt,
      totalPausedSeconds: r.total_paused_seconds ?? 0,
      durationSeconds: r.duration_seconds,
      activeSeconds: activeSeconds(timed, now),
      sets: hasSets
        ? Array.from({ length: setCount }, (_, position) => ({
            position,
            notes: ownSets.find((x) => x.position === position)?.notes ?? null,
            values: own.filter((v) => v.set_index === position).map(valueView),
          }))
        : [],
      values: hasSets ? [] : own.map(valueView),
      comparison: {
        previousInstanceId: prev?.previous_id ?? null,
        previousSessionId: prev?.practice_session_id ?? null,
        previousAt: prev ? timeOf(prev.time_start ?? prev.created_at) : null,
        metrics: compare(recorded(own), prev ? recorded(previousValues.filter((v) => v.activity_instance_id === prev.previous_id)) : [], earlier.get(r.id) ?? [], rules),
      },
      createdAt: timeOf(r.created_at),
      updatedAt: timeOf(r.updated_at),
      version: r.version,
    };
  });
}
