import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTables, dropTables, engineOf, fk, table } from './lib/table-spec';
import { TENANT_COLUMNS, enableTenantRls } from './lib/tenant-tables';

/** Where a legacy target that cannot become a row is kept, whole, with its reason. */
const SOURCE = 'goals.targets';

type Json = unknown;
interface Converted {
  target: { id: string; rootId: string; goalId: string; activityId: string; name: string | null; met: boolean; userId: string | null };
  conditions: { metricId: string; value: number }[];
}

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asNumber = (v: Json): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};


export const TARGET_TABLES = [
  table('goal_targets', [
    ...TENANT_COLUMNS,
    { name: 'goal_id', type: 'varchar', length: '36' },
    { name: 'activity_id', type: 'varchar', length: '36' },
    { name: 'name', type: 'varchar', length: '200', isNullable: true },
    { name: 'kind', type: 'varchar', length: '16' },
    { name: 'session_count', type: 'integer', isNullable: true },
    { name: 'period_days', type: 'integer', isNullable: true },
    { name: 'starts_on', type: 'date', isNullable: true },
    { name: 'ends_on', type: 'date', isNullable: true },
    { name: 'sort_order', type: 'integer', default: 0 },
    { name: 'met', type: 'boolean', default: false },
    col('met_at', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'met_by_session_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'met_by_instance_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'version', type: 'integer', default: 1 },
  ], {
    uniques: [{ name: 'uq_goal_targets_root_id', columnNames: ['root_id', 'id'] }],
    checks: [
      { name: 'ck_goal_targets_counts', expression: 'session_count >= 1 AND period_days >= 1' },
      { name: 'ck_goal_targets_frequency', expression: `(kind = 'frequency') = (session_count IS NOT NULL AND period_days IS NOT NULL)` },
      { name: 'ck_goal_targets_kind', expression: `kind IN ('threshold', 'sum', 'frequency')` },
      { name: 'ck_goal_targets_scope', expression: 'ends_on >= starts_on' },
    ],
    indices: [
      { name: 'idx_goal_targets_activity', columnNames: ['activity_id'] },
      { name: 'idx_goal_targets_goal', columnNames: ['goal_id'] },
      { name: 'idx_goal_targets_met_instance', columnNames: ['met_by_instance_id'] },
      { name: 'idx_goal_targets_met_session', columnNames: ['met_by_session_id'] },
      { name: 'idx_goal_targets_root', columnNames: ['root_id'] },
    ],
    foreignKeys: [
      fk('fk_goal_targets_goal_id', ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_targets_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_met_by_session_id', ['root_id', 'met_by_session_id'], 'goals', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_met_by_instance_id', ['root_id', 'met_by_instance_id'], 'activity_instances', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('target_conditions', [
    ...TENANT_COLUMNS,
    { name: 'target_id', type: 'varchar', length: '36' },
    { name: 'metric_id', type: 'varchar', length: '36' },
    { name: 'comparison', type: 'varchar', length: '2' },
    { name: 'value', type: 'double precision' },
    { name: 'sort_order', type: 'integer', default: 0 },
  ], {
    uniques: [{ name: 'uq_target_conditions_root_id', columnNames: ['root_id', 'id'] }],
    checks: [{ name: 'ck_target_conditions_comparison', expression: `comparison IN ('>=', '<=', '=')` }],
    indices: [
      { name: 'idx_target_conditions_metric', columnNames: ['metric_id'] },
      { name: 'idx_target_conditions_root', columnNames: ['root_id'] },
      { name: 'idx_target_conditions_target', columnNames: ['target_id'] },
    ],
    foreignKeys: [
      fk('fk_target_conditions_target_id', ['root_id', 'target_id'], 'goal_targets', ['root_id', 'id'], 'CASCADE'),
      fk('fk_target_conditions_metric_id', ['root_id', 'metric_id'], 'metric_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_target_conditions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
];

/**
 * Targets as rows: a goal's targets on an activity, and their conditions on its metrics.
 *
 * The Flask app kept a goal's targets as JSON in goals.targets: `[{activity_id, metrics:
 * [{metric_id, value}]}]`, met when one instance of the activity reached every value. Each
 * becomes a threshold target row with `>=` conditions (its name and completed flag kept).
 * One that cannot (not an object, no activity of the goal's root, no metrics, a metric that is
 * not the activity's, a value that is not a number) is never dropped: it goes to
 * legacy_quarantine (source_table `goals.targets`, source_id the goal) with its reason, as the
 * adoption does. GoalCompletion then drops the column. Down writes the JSON back from the
 * threshold targets it can express and from that quarantine.
 */
export class GoalTargets1767225600100 implements MigrationInterface {
  name = 'GoalTargets1767225600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TARGET_TABLES);
    await enableTenantRls(queryRunner, TARGET_TABLES.map((t) => t.name));
    const pg = engineOf(queryRunner) === 'postgres';
    const q = (sql: string, params: unknown[] = []) => queryRunner.query(pg ? numbered(sql) : sql, params);
    const goals: { id: string; root_id: string; targets: Json; created_by: string | null }[] = await q(
      `SELECT id, root_id, targets, created_by FROM goals WHERE targets IS NOT NULL ORDER BY id`,
    );
    if (goals.length > 0) {
      const activities = new Map<string, string>(
        (await q(`SELECT id, root_id FROM activity_definitions`)).map((r: { id: string; root_id: string }) => [r.id, r.root_id]),
      );
      const metrics = new Map<string, string>(
        (await q(`SELECT id, activity_id FROM metric_definitions`)).map((r: { id: string; activity_id: string }) => [r.id, r.activity_id]),
      );
      const now = new Date().toISOString();
      const stamp = pg ? now : now.replace('T', ' ').replace('Z', '');
      const quarantine = async (goalId: string, row: Json, reason: string) =>
        q(`INSERT INTO legacy_quarantine (id, created_at, updated_at, source_table, source_id, row_json, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
          randomUUID(), stamp, stamp, SOURCE, goalId, JSON.stringify(row), reason.slice(0, 500),
        ]);
      for (const goal of goals) {
        let list: Json = goal.targets;
        if (typeof list === 'string') {
          try {
            list = JSON.parse(list);
          } catch {
            await quarantine(goal.id, { goal_id: goal.id, targets: goal.targets }, 'targets is not valid JSON');
            continue;
          }
        }
        if (list === null) continue;
        if (!Array.isArray(list)) {
          await quarantine(goal.id, { goal_id: goal.id, targets: list }, 'targets is not a JSON array');
          continue;
        }
        for (const [index, item] of list.entries()) {
          const converted = convert(goal, item, activities, metrics);
          if (typeof converted === 'string') {
            await quarantine(goal.id, { goal_id: goal.id, index, target: item }, converted);
            continue;
          }
          const t = converted.target;
          await q(
            `INSERT INTO goal_targets (id, root_id, goal_id, activity_id, name, kind, sort_order, met, created_by, updated_by) VALUES (?, ?, ?, ?, ?, 'threshold', ?, ?, ?, ?)`,
            [t.id, t.rootId, t.goalId, t.activityId, t.name, index, pg ? t.met : t.met ? 1 : 0, t.userId, t.userId],
          );
          for (const [i, c] of converted.conditions.entries()) {
            await q(`INSERT INTO target_conditions (id, root_id, target_id, metric_id, comparison, value, sort_order, created_by, updated_by) VALUES (?, ?, ?, ?, '>=', ?, ?, ?, ?)`, [
              randomUUID(), t.rootId, t.id, c.metricId, c.value, i, t.userId, t.userId,
            ]);
          }
        }
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const pg = engineOf(queryRunner) === 'postgres';
    const q = (sql: string, params: unknown[] = []) => queryRunner.query(pg ? numbered(sql) : sql, params);
    const lists = new Map<string, { index: number; item: Json }[]>();
    const add = (goalId: string, index: number, item: Json) => lists.set(goalId, [...(lists.get(goalId) ?? []), { index, item }]);
    // Threshold targets with `>=` conditions and no scope are what the old format can say.
    const targets: { id: string; goal_id: string; activity_id: string; name: string | null; met: unknown; sort_order: number }[] = await q(
      `SELECT t.id, t.goal_id, t.activity_id, t.name, t.met, t.sort_order FROM goal_targets t
        WHERE t.deleted_at IS NULL AND t.kind = 'threshold' AND t.starts_on IS NULL AND t.ends_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM target_conditions c WHERE c.target_id = t.id AND c.deleted_at IS NULL AND c.comparison <> '>=')`,
    );
    for (const t of targets) {
      const conditions: { metric_id: string; value: number }[] = await q(
        `SELECT metric_id, value FROM target_conditions WHERE target_id = ? AND deleted_at IS NULL ORDER BY sort_order`,
        [t.id],
      );
      add(t.goal_id, t.sort_order, {
        activity_id: t.activity_id,
        ...(t.name === null ? {} : { name: t.name }),
        metrics: conditions.map((c) => ({ metric_id: c.metric_id, value: Number(c.value) })),
        ...(t.met === true || t.met === 1 ? { completed: true } : {}),
      });
      await q(`DELETE FROM target_conditions WHERE target_id = ?`, [t.id]);
      await q(`DELETE FROM goal_targets WHERE id = ?`, [t.id]);
    }
    const kept: { id: string; source_id: string; row_json: string }[] = await q(`SELECT id, source_id, row_json FROM legacy_quarantine WHERE source_table = ?`, [SOURCE]);
    const whole = new Map<string, Json>();
    for (const k of kept) {
      const row = JSON.parse(k.row_json) as { index?: number; target?: Json; targets?: Json };
      if (row.index === undefined) whole.set(k.source_id, row.targets);
      else add(k.source_id, row.index, row.target);
      await q(`DELETE FROM legacy_quarantine WHERE id = ?`, [k.id]);
    }
    for (const [goalId, value] of whole) await q(`UPDATE goals SET targets = ? WHERE id = ?`, [typeof value === 'string' ? value : JSON.stringify(value), goalId]);
    for (const [goalId, items] of lists) {
      if (whole.has(goalId)) continue;
      const json = JSON.stringify(items.sort((a, b) => a.index - b.index).map((i) => i.item));
      await q(`UPDATE goals SET targets = ? WHERE id = ?`, [json, goalId]);
    }
    await dropTables(queryRunner, TARGET_TABLES);
  }
}

function convert(goal: { id: string; root_id: string; created_by: string | null }, item: Json, activities: Map<string, string>, metrics: Map<string, string>): Converted | string {
  if (!isObject(item)) return 'a target is not a JSON object';
  const activityId = item.activity_id;
  if (typeof activityId !== 'string' || activityId === '') return 'the target has no activity_id';
  if (activities.get(activityId) !== goal.root_id) return `activity ${activityId} is not an activity of the goal's root`;
  if (!Array.isArray(item.metrics) || item.metrics.length === 0) return 'the target has no metrics';
  const conditions: Converted['conditions'] = [];
  for (const m of item.metrics) {
    if (!isObject(m) || typeof m.metric_id !== 'string') return 'a metric of the target has no metric_id';
    if (metrics.get(m.metric_id) !== activityId) return `metric ${m.metric_id} is not a metric of activity ${activityId}`;
    const value = asNumber(m.value);
    if (value === null) return `the value of metric ${m.metric_id} is not a number`;
    conditions.push({ metricId: m.metric_id, value });
  }
  const name = typeof item.name === 'string' && item.name.trim() !== '' ? item.name.trim().slice(0, 200) : null;
  return {
    target: { id: randomUUID(), rootId: goal.root_id, goalId: goal.id, activityId, name, met: item.completed === true, userId: goal.created_by },
    conditions,
  };
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

