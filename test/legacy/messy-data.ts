import { createHash } from 'node:crypto';
import { Fixture, SHAPE_DDL } from './fixtures';
import Database from 'better-sqlite3';

/** A stable uuid-shaped id per tag, so that expectations can name rows. */
export function id(tag: string): string {
  const h = createHash('sha1').update(tag).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type Fate = 'kept' | 'quarantined';

/** One legacy row, what must become of it, and in which shapes it exists. */
export interface MessyRow {
  table: string;
  row: Record<string, unknown>;
  fate: Fate;
  /** The reason the quarantine must give (a substring). */
  reason?: string;
  shapes?: number[];
}

const G = 'goals';
const r = (table: string, row: Record<string, unknown>, fate: Fate = 'kept', extra: Partial<MessyRow> = {}): MessyRow => ({
  table,
  row,
  fate,
  ...extra,
});

/** A practice session: a goal row from shape 2 on, a practice_sessions row in shape 1. */
function session(shape: number, tag: string, cols: Record<string, unknown>, fate: Fate = 'kept', extra: Partial<MessyRow> = {}): MessyRow {
  const base = { id: id(tag), name: `Session ${tag}`, ...cols };
  if (shape === 1) {
    const { parent_id: _p, session_start: _s, session_end: _e, template_id: _t, ...ps } = base as Record<string, unknown>;
    return r('practice_sessions', ps, fate, extra);
  }
  return r(G, { type: 'PracticeSession', ...base }, fate, extra);
}

/**
 * Messy data for one shape: every timestamp format, broken and empty JSON, NULL and wrong
 * root_id values, orphans of every kind, duplicate names, dangling references.
 */
export function messyRows(shape: 1 | 2 | 3 | 4): MessyRow[] {
  const rows: MessyRow[] = [
    r(G, { id: id('U1'), type: 'UltimateGoal', name: 'Life', created_at: '2025-12-21 22:52:28.442831', root_id: null }),
    r(G, { id: id('L1'), type: 'LongTermGoal', name: 'Long', parent_id: id('U1'), created_at: '2025-12-27 04:00:29', root_id: null }),
    // A wrong root_id: the tree says U1.
    r(G, { id: id('M1'), type: 'MidTermGoal', name: 'Mid', parent_id: id('L1'), created_at: '2025-12-23T19:18:31.529711', root_id: id('U2') }),
    r(G, { id: id('S1'), type: 'ShortTermGoal', name: 'Short 1', parent_id: id('M1'), created_at: '2025-12-30T17:21:12.000Z', deadline: '2026-01-10', completed: 'true', targets: '[{"metric":"reps","value":5}]', root_id: id('U1') }),
    r(G, { id: id('S2'), type: 'ShortTermGoal', name: 'Short 2', parent_id: id('M1'), created_at: '2025-12-24 15:47:08.363666+02:00', targets: '', completed: 0 }),
    r(G, { id: id('U2'), type: 'UltimateGoal', name: 'Life', created_at: '2025-12-25 00:00:00.000000' }),
    // Its parent is gone: a recovered parent takes its place.
    r(G, { id: id('OR'), type: 'ShortTermGoal', name: 'Orphan short', parent_id: id('gone-parent'), created_at: '2025-12-26 10:00:00.000000', root_id: id('U1') }),
    r(G, { id: id('BJ'), type: 'LongTermGoal', name: 'Broken targets', parent_id: id('U1'), targets: '{"broken":' }, 'quarantined', { reason: 'targets is not valid JSON' }),
    r(G, { id: id('BT'), type: 'LongTermGoal', name: 'Bad time', parent_id: id('U1'), created_at: 'yesterday' }, 'quarantined', { reason: 'created_at is not a readable timestamp' }),
    r(G, { id: id('C1'), type: 'MidTermGoal', name: 'Cycle 1', parent_id: id('C2') }, 'quarantined', { reason: 'cycle' }),
    r(G, { id: id('C2'), type: 'MidTermGoal', name: 'Cycle 2', parent_id: id('C1') }, 'quarantined', { reason: 'cycle' }),
    r(G, { id: id('NT'), type: shape === 1 ? 'NanoGoal' : 'WeeklyGoal', name: 'Weekly', parent_id: id('U1') }, shape === 1 ? 'kept' : 'quarantined', { reason: 'not a goal type' }),

    session(shape, 'P1', { parent_id: id('S1'), root_id: id('U1'), session_data: '{"sections":[]}', created_at: '2025-12-27 11:06:51.245551', session_start: '2025-12-27T11:06:51.245551', session_end: '2025-12-27T11:35:38.245551', duration_minutes: 28, template_id: id('T1') }),
    // Its root is gone: a recovered root takes its place.
    session(shape, 'P2', { root_id: id('gone-root'), created_at: '2025-12-28 09:00:00' }),
    // No parent and no root: it becomes a root of its own.
    session(shape, 'P3', { root_id: null, name: 'Orphan session', created_at: '2025-12-28T10:00:00' }),
    session(shape, 'P4', { parent_id: id('S1'), root_id: id('U1'), session_data: '{bad json' }, 'quarantined', { reason: 'session_data is not valid JSON' }),
    // Epoch seconds; a template that is gone.
    session(shape, 'P5', { parent_id: id('S1'), root_id: id('U1'), created_at: 1735000000, template_id: id('gone-template') }),

    r('practice_session_goals', { practice_session_id: id('P1'), short_term_goal_id: id('S1'), created_at: '2025-12-27 11:06:51' }),
    r('practice_session_goals', { practice_session_id: id('P1'), short_term_goal_id: id('S2') }),
    r('practice_session_goals', { practice_session_id: id('P1'), short_term_goal_id: id('gone-goal') }, 'quarantined', { reason: 'its goal is gone' }),
    r('practice_session_goals', { practice_session_id: id('P4'), short_term_goal_id: id('S1') }, 'quarantined', { reason: 'its practice session is gone' }),
    r('practice_session_goals', { practice_session_id: id('P2'), short_term_goal_id: id('S1') }, 'quarantined', { reason: 'two different roots' }),

    r('activity_definitions', { id: id('A1'), root_id: id('U1'), name: 'Pushups', created_at: '2025-12-27 04:00:29', has_metrics: 1, group_id: id('G1') }),
    r('activity_definitions', { id: id('A2'), root_id: id('U1'), name: 'Pushups', created_at: '2025-12-28 04:00:29', group_id: id('gone-group') }),
    r('activity_definitions', { id: id('A3'), root_id: id('gone-root2'), name: 'Cold calling' }),

    r('metric_definitions', { id: id('MD1'), activity_id: id('A1'), name: 'Reps', unit: 'count', created_at: '2025-12-27 04:00:30', root_id: id('U2') }),
    r('metric_definitions', { id: id('MD2'), activity_id: id('gone-act'), name: 'Speed', unit: 'bpm' }, 'quarantined', { reason: 'its activity definition is gone' }),
    r('metric_definitions', { id: id('MD3'), activity_id: id('A1'), name: 'Reps', unit: 'count', created_at: '2025-12-28 04:00:30' }),

    r('activity_instances', { id: id('I1'), practice_session_id: id('P1'), activity_definition_id: id('A1'), created_at: '2025-12-27T11:10:00.5', time_start: '2025-12-27T11:10:00.500000', time_stop: '2025-12-27 11:20:00', duration_seconds: 600, root_id: id('U2') }),
    r('activity_instances', { id: id('I2'), practice_session_id: id('P1'), activity_definition_id: id('gone-act2'), created_at: '2025-12-27 11:30:00.000000' }),
    r('activity_instances', { id: id('I3'), practice_session_id: id('gone-session'), activity_definition_id: id('A1') }, 'quarantined', { reason: 'its practice session is gone' }),
    r('activity_instances', { id: id('I4'), practice_session_id: id('P1'), activity_definition_id: id('A1'), time_start: '2025-12-27 11:20:00', time_stop: '2025-12-27 11:10:00' }, 'quarantined', { reason: 'time_stop is before time_start' }),
    r('activity_instances', { id: id('I5'), practice_session_id: id('P1'), activity_definition_id: id('A1'), duration_seconds: '12', root_id: null }),
    r('activity_instances', { id: id('I6'), practice_session_id: id('P4'), activity_definition_id: id('A1') }, 'quarantined', { reason: 'its practice session is gone' }),
    // Its activity lives in another root: a recovered activity in the session's root.
    r('activity_instances', { id: id('I7'), practice_session_id: id('P2'), activity_definition_id: id('A1') }),

    r('metric_values', { id: id('V1'), activity_instance_id: id('I1'), metric_definition_id: id('MD1'), value: 10.5, root_id: id('U2') }),
    r('metric_values', { id: id('V2'), activity_instance_id: id('I1'), metric_definition_id: id('gone-metric'), value: 3 }),
    r('metric_values', { id: id('V3'), activity_instance_id: id('I3'), metric_definition_id: id('MD1'), value: 1 }, 'quarantined', { reason: 'its activity instance is gone' }),
    r('metric_values', { id: id('V4'), activity_instance_id: id('I1'), metric_definition_id: id('MD1'), value: 'abc' }, 'quarantined', { reason: 'value is not a number' }),
    r('metric_values', { id: id('V5'), activity_instance_id: id('I1'), metric_definition_id: id('MD1'), value: '7.25' }),
    r('metric_values', { id: id('V6'), activity_instance_id: id('I2'), metric_definition_id: id('MD2'), value: 4 }),
    r('metric_values', { id: id('V7'), activity_instance_id: id('I1'), metric_definition_id: id('MD2'), value: 5 }),
  ];
  if (shape === 1) {
    // No primary key on the pair yet: a duplicate link.
    rows.push(r('practice_session_goals', { practice_session_id: id('P1'), short_term_goal_id: id('S1') }));
    // A session whose id is also a goal id.
    rows.push(session(shape, 'U1', { root_id: id('U1') }, 'quarantined', { reason: 'also a goal id' }));
  } else {
    rows.push(
      session(shape, 'P6', { parent_id: id('S1'), root_id: id('U1'), session_start: '2025-12-29 10:00:00', session_end: '2025-12-29 09:00:00' }, 'quarantined', { reason: 'session_end is before session_start' }),
      r('session_templates', { id: id('T1'), root_id: id('U1'), name: 'Std', template_data: '{"sections": []}', created_at: '2025-12-24 15:50:21.529052' }),
      r('session_templates', { id: id('T2'), root_id: id('U1'), name: 'Std', template_data: '{"sections": [1]}', created_at: '2025-12-25 15:50:21.529052' }),
      r('session_templates', { id: id('T3'), root_id: id('gone-root2'), name: 'Elsewhere', template_data: '{}' }),
      r('session_templates', { id: id('T4'), root_id: id('U1'), name: 'Empty', template_data: '' }),
      r('session_templates', { id: id('T5'), root_id: id('U1'), name: 'Broken', template_data: 'not json' }, 'quarantined', { reason: 'template_data is not valid JSON' }),
      r('metric_definitions', { id: id('MD4'), activity_id: id('A1'), name: 'Old', unit: 'kg', deleted_at: '2025-12-28 10:00:00', is_active: 0 }),
    );
  }
  if (shape === 4) {
    rows.push(
      r('activity_groups', { id: id('G1'), root_id: id('U1'), name: 'Push', created_at: '2025-12-30 17:32:22.859592', sort_order: 0 }),
      r('activity_groups', { id: id('G2'), root_id: id('U1'), name: 'Push', created_at: '2025-12-30 17:35:22.859592', sort_order: 1 }),
      r('split_definitions', { id: id('SD1'), activity_id: id('A1'), name: 'Left', order: 0, created_at: '2025-12-30 09:46:13.678165' }),
      r('split_definitions', { id: id('SD2'), activity_id: id('gone-act'), name: 'Right', order: 1 }, 'quarantined', { reason: 'its activity definition is gone' }),
      r('metric_values', { id: id('V8'), activity_instance_id: id('I1'), metric_definition_id: id('MD1'), value: 2, split_definition_id: id('gone-split') }),
      r('metric_values', { id: id('V9'), activity_instance_id: id('I1'), metric_definition_id: id('MD1'), value: 1, split_definition_id: id('SD1'), created_at: null }),
      r('programs', { id: id('PR1'), root_id: id('U1'), name: 'Plan', start_date: '2026-01-01 00:00:00', end_date: '2026-03-01T00:00:00', goal_ids: '["x"]', weekly_schedule: '{}', is_active: 1 }),
      r('programs', { id: id('PR2'), root_id: id('U1'), name: 'Backwards', start_date: '2026-03-01 00:00:00', end_date: '2026-01-01 00:00:00', goal_ids: '[]', weekly_schedule: '{}' }, 'quarantined', { reason: 'end_date is before start_date' }),
      r('programs', { id: id('PR3'), root_id: id('U1'), name: 'Empty ids', start_date: '2026-01-01', end_date: '2026-02-01', goal_ids: '', weekly_schedule: '{"mon":[]}' }),
      r('programs', { id: id('PR4'), root_id: id('U1'), name: 'Bad schedule', start_date: '2026-01-01', end_date: '2026-02-01', goal_ids: '[]', weekly_schedule: 'mon,tue' }, 'quarantined', { reason: 'weekly_schedule is not valid JSON' }),
      // goal_ids in every state (issue 13): a goal of its root, of another root, none, not a string, twice; not an array.
      r('programs', { id: id('PR5'), root_id: id('U1'), name: 'Mixed ids', start_date: '2026-01-01', end_date: '2026-02-01', weekly_schedule: '{}',
        goal_ids: `["${id('S1')}", "${id('U2')}", "${id('gone-goal')}", 42, "${id('S1')}", "${id('S2')}"]` }),
      r('programs', { id: id('PR6'), root_id: id('U1'), name: 'Object ids', start_date: '2026-01-01', end_date: '2026-02-01', goal_ids: '{"a": 1}', weekly_schedule: '{}' }),
      r('program_blocks', { id: id('B1'), program_id: id('PR1'), name: 'Block', start_date: '2026-01-01', end_date: '2026-01-31', goal_ids: null }),
      // Its end before its start: the dates are swapped.
      r('program_blocks', { id: id('B3'), program_id: id('PR5'), name: 'Backwards block', start_date: '2026-02-10', end_date: '2026-02-01', goal_ids: `["${id('S2')}"]` }),
      r('program_blocks', { id: id('B2'), program_id: id('PR2'), name: 'Lost block' }, 'quarantined', { reason: 'its program is gone' }),
      r('program_days', { id: id('D1'), block_id: id('B1'), date: '2026-01-05', day_number: 1 }),
      r('program_days', { id: id('D2'), block_id: id('B1'), date: '2026-01-06 00:00:00', day_number: 2 }),
      r('program_days', { id: id('D3'), block_id: id('B1'), date: 'Monday', day_number: 3 }, 'quarantined', { reason: 'date is not a date' }),
      r('scheduled_sessions', { id: id('SS1'), day_id: id('D1'), session_template_id: id('T1'), is_completed: 0 }),
      r('scheduled_sessions', { id: id('SS2'), day_id: id('D1'), session_template_id: id('gone-template'), is_completed: 1 }),
      r('scheduled_sessions', { id: id('SS3'), day_id: id('gone-day'), session_template_id: null }, 'quarantined', { reason: 'its program day is gone' }),
      // A soft-deleted legacy row stays soft-deleted.
      r(G, { id: id('DEL'), type: 'LongTermGoal', name: 'Deleted', parent_id: id('U1'), deleted_at: '2025-12-31 10:00:00.000000' }),
    );
  }
  return rows;
}

/** Builds the fixture: only the columns and tables that exist in that shape's DDL are written. */
export function messyFixture(shape: 1 | 2 | 3 | 4): { fixture: Fixture; rows: MessyRow[] } {
  const db = new Database(':memory:');
  for (const ddl of SHAPE_DDL[shape]) db.exec(ddl);
  const columns = new Map<string, Set<string>>();
  for (const t of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]) {
    columns.set(t.name, new Set((db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name)));
  }
  db.close();
  const rows = messyRows(shape).filter((m) => columns.has(m.table));
  const data: Fixture['data'] = {};
  for (const m of rows) {
    const cols = columns.get(m.table)!;
    const row = Object.fromEntries(Object.entries(m.row).filter(([k]) => cols.has(k)));
    (data[m.table] ??= []).push(row);
  }
  return { fixture: { shape, data }, rows };
}
