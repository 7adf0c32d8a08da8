import { randomUUID } from 'node:crypto';

/** A row to insert, in engine-neutral JS values (Date, boolean, object for JSON). */
export interface FixtureRow {
  table: string;
  values: Record<string, unknown>;
}

export interface Tenant {
  userId: string;
  rootId: string;
  rows: FixtureRow[];
}

/** One user with one root and a row in every tenant table, in foreign-key order. */
export function tenantRows(label: string, email: string): Tenant {
  const id = () => randomUUID();
  const userId = id();
  const rootId = id();
  const stg = id();
  const ps = id();
  const template = id();
  const group = id();
  const def = id();
  const metric = id();
  const split = id();
  const instance = id();
  const sessionSection = id();
  const program = id();
  const block = id();
  const day = id();
  const target = id();
  const section = id();
  const t = (iso: string) => new Date(iso);
  const r = (table: string, values: Record<string, unknown>): FixtureRow => ({ table, values });
  const rows = [
    r('users', { id: userId, email, display_name: `User ${label} ü`, role: 'user', is_active: true, last_login_at: t('2026-01-02T03:04:05.678Z') }),
    r('goals', { id: rootId, root_id: rootId, user_id: userId, type: 'UltimateGoal', name: `Root ${label}`, completed: false, attributes: { list: [1, 2.5, 'x'], nested: { b: true, a: null } } }),
    r('session_templates', { id: template, root_id: rootId, name: `Template ${label}`, legacy_template_data: { sections: [{ name: 'Warm-up', minutes: 10 }] } }),
    r('goals', { id: stg, root_id: rootId, parent_id: rootId, type: 'ShortTermGoal', name: `Short ${label}`, completed: true, completed_at: t('2026-02-03T04:05:06.789Z'), deadline: t('2026-12-31T00:00:00.000Z'), sort_order: 3 }),
    r('goals', { id: ps, root_id: rootId, parent_id: stg, type: 'PracticeSession', name: `Session ${label}`, template_id: template, session_start: t('2026-03-01T10:00:00.000Z'), session_end: t('2026-03-01T11:30:00.500Z'), total_duration_seconds: 5400, session_data: { note: 'línea "quoted"\nnext' } }),
    r('practice_session_goals', { id: id(), root_id: rootId, practice_session_id: ps, short_term_goal_id: stg }),
    r('activity_groups', { id: group, root_id: rootId, name: `Group ${label}`, description: null, sort_order: 1 }),
    r('activity_definitions', { id: def, root_id: rootId, group_id: group, name: `Scales ${label}`, has_sets: true, has_metrics: true, metrics_multiplicative: false, has_splits: true }),
    r('metric_definitions', { id: metric, root_id: rootId, activity_id: def, name: 'Tempo', unit: 'bpm', is_top_set_metric: true }),
    r('split_definitions', { id: split, root_id: rootId, activity_id: def, name: 'Left', order: 0 }),
    r('session_sections', { id: sessionSection, root_id: rootId, session_id: ps, position: 0, name: 'Warm-up', duration_minutes: 10 }),
    r('activity_instances', { id: instance, root_id: rootId, practice_session_id: ps, activity_definition_id: def, section_id: sessionSection, time_start: t('2026-03-01T10:05:00.000Z'), time_stop: t('2026-03-01T10:15:00.250Z'), duration_seconds: 600, completed: true, notes: 'ok', data: { sets: [{ reps: 5 }] } }),
    r('activity_sets', { id: id(), root_id: rootId, activity_instance_id: instance, position: 0, notes: 'first set' }),
    r('metric_values', { id: id(), root_id: rootId, activity_instance_id: instance, metric_definition_id: metric, split_definition_id: split, value: 120.125 }),
    r('programs', { id: program, root_id: rootId, name: `Program ${label}`, start_date: t('2026-01-01T00:00:00.000Z'), end_date: t('2026-06-30T00:00:00.000Z'), is_active: true, weekly_schedule: { mon: ['a'], tue: [] } }),
    r('program_goals', { id: id(), root_id: rootId, program_id: program, goal_id: stg }),
    r('program_blocks', { id: block, root_id: rootId, program_id: program, name: 'Block 1', start_date: '2026-01-01', end_date: '2026-01-31' }),
    r('program_block_goals', { id: id(), root_id: rootId, block_id: block, goal_id: stg, sort_order: 1 }),
    r('program_days', { id: day, root_id: rootId, block_id: block, date: '2026-01-05', day_number: 1, name: 'Day 1' }),
    r('scheduled_sessions', { id: id(), root_id: rootId, day_id: day, session_template_id: template, is_completed: false, completion_data: null }),
    r('program_day_sessions', { id: id(), root_id: rootId, day_id: day, session_id: ps, date: '2026-01-05' }),
    r('goal_levels', { id: id(), root_id: rootId, type: 'ShortTermGoal', display_name: `Short ${label}`, color: '#059669', icon: 'flag', max_children: 3, default_deadline_offset_days: 7 }),
    r('goal_pauses', { id: id(), root_id: rootId, goal_id: stg, paused_at: t('2026-02-01T00:00:00.000Z'), resumed_at: t('2026-02-02T12:00:00.250Z') }),
    r('goal_targets', { id: target, root_id: rootId, goal_id: stg, activity_id: def, kind: 'frequency', session_count: 3, period_days: 7, starts_on: '2026-01-01', ends_on: '2026-03-31', met: true, met_at: t('2026-03-01T11:30:00.500Z'), met_by_session_id: ps, met_by_instance_id: instance }),
    r('target_conditions', { id: id(), root_id: rootId, target_id: target, metric_id: metric, comparison: '>=', value: 100.5 }),
    r('goal_activities', { id: id(), root_id: rootId, goal_id: stg, activity_id: def }),
    r('goal_activity_groups', { id: id(), root_id: rootId, goal_id: stg, group_id: group }),
    r('session_template_sections', { id: section, root_id: rootId, template_id: template, position: 0, name: 'Warm-up', duration_minutes: 10 }),
    r('session_template_activities', { id: id(), root_id: rootId, section_id: section, activity_id: def, position: 0 }),
    r('notes', { id: id(), root_id: rootId, about_type: 'session', about_id: ps, content: `**Note** ${label}`, pinned: 1 }),
    r('refresh_tokens', { id: id(), user_id: userId, family_id: id(), token_hash: `hash-${label}-${id()}`, expires_at: t('2027-01-01T00:00:00.000Z') }),
  ];
  return { userId, rootId, rows };
}

export const TENANT_TABLES = [
  'goals',
  'session_templates',
  'practice_session_goals',
  'activity_groups',
  'activity_definitions',
  'metric_definitions',
  'split_definitions',
  'session_sections',
  'activity_instances',
  'activity_sets',
  'metric_values',
  'programs',
  'program_goals',
  'program_blocks',
  'program_block_goals',
  'program_days',
  'scheduled_sessions',
  'program_day_sessions',
  'goal_levels',
  'goal_pauses',
  'goal_targets',
  'target_conditions',
  'goal_activities',
  'goal_activity_groups',
  'session_template_sections',
  'session_template_activities',
  'notes',
];

function sqliteTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** An INSERT for either engine, with values in the form that engine's driver stores. */
export function insertSql(engine: 'sqlite' | 'postgres', row: FixtureRow): { sql: string; params: unknown[] } {
  const names = Object.keys(row.values);
  const params = names.map((n) => {
    const v = row.values[n];
    if (v instanceof Date) return engine === 'sqlite' ? sqliteTimestamp(v) : v.toISOString();
    if (typeof v === 'boolean') return engine === 'sqlite' ? (v ? 1 : 0) : v;
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    return v;
  });
  const marks = names.map((_, i) => (engine === 'sqlite' ? '?' : `$${i + 1}`));
  return {
    sql: `INSERT INTO "${row.table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${marks.join(', ')})`,
    params,
  };
}
