import { randomUUID } from 'node:crypto';
import { Adoption } from '../adoption';
import { audit, copyTable } from '../copy';
import { idReasons, tsReasons } from '../reasons';
import { groupRecovered, repoint } from '../recover';
import { realExpr } from '../values';

/**
 * Metric values: each one hangs on its activity instance, whose root it takes. The biggest
 * table, so its keys are built after the copy.
 */
export async function adoptMetricValues(a: Adoption): Promise<void> {
  const T = 'metric_values';
  if (!a.has(T)) return;
  await copyTable(a, {
    legacy: T,
    target: T,
    keysAfter: true,
    joins: `LEFT JOIN activity_instances ai ON ai.id = s.activity_instance_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.activity_instance_id IS NULL OR ai.id IS NULL`, `'its activity instance is gone'`],
      [`s.metric_definition_id IS NULL`, `'metric_definition_id is NULL'`],
      [`s.value IS NULL`, `'value is NULL'`],
      [`${realExpr('s.value')} IS NULL`, `'value is not a number: ' || quote(s.value)`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'ai.created_at'),
      ['root_id', 'ai.root_id'],
      ['activity_instance_id', 's.activity_instance_id'],
      ['metric_definition_id', 's.metric_definition_id'],
      ['split_definition_id', a.c(T, 'split_definition_id')],
      ['value', realExpr('s.value')],
    ],
  });
  await recoverMetrics(a);
  if (a.has(T, 'split_definition_id')) await recoverSplits(a);
}

const KEY = ['old_id', 'activity_id', 'root_id'];

/** The copied values that name a definition their root does not have, with their activity. */
const missing = (col: string, definitions: string, only?: string) =>
  `SELECT v.rowid AS rid, v.${col} AS old_id, ai.activity_definition_id AS activity_id, v.root_id AS root_id, ai.created_at AS created_at
   FROM metric_values v CROSS JOIN activity_instances ai ON ai.id = v.activity_instance_id
   WHERE ${only ? `${only} AND ` : ''}NOT EXISTS (SELECT 1 FROM ${definitions} d WHERE d.root_id = v.root_id AND d.id = v.${col})`;

/** A value whose metric definition is gone keeps its history: a recovered, inactive definition on the activity of its instance. */
async function recoverMetrics(a: Adoption): Promise<void> {
  await a.sql(`CREATE TEMP TABLE _rmv AS ${missing('metric_definition_id', 'metric_definitions')}`);
  if ((await groupRecovered(a, '_rmv', '_rm', 'metric_definitions', KEY)) === 0) return;
  await a.sql(
    `INSERT INTO metric_definitions (id, created_at, updated_at, root_id, activity_id, name, unit, is_active, recovered_from_legacy)
     SELECT new_id, COALESCE(first_seen, '${a.now}'), '${a.now}', root_id, activity_id, 'Recovered metric ' || old_id, '', 0, 1 FROM _rm`,
  );
  for (const r of await a.sql<{ old_id: string; new_id: string; n: number; activity_id: string }>(`SELECT * FROM _rm`)) {
    a.report.recovered.push({ table: 'metric_definitions', id: r.new_id, name: `Recovered metric ${r.old_id}`, why: `inactive; ${r.n} value(s) of activity ${r.activity_id} used the missing metric ${r.old_id}` });
  }
  await repoint(a, 'metric_values', 'metric_definition_id', '_rmv', '_rm', KEY);
}

/** A value whose split is gone gets a recovered, archived split. */
async function recoverSplits(a: Adoption): Promise<void> {
  await a.sql(`CREATE TEMP TABLE _rsv AS ${missing('split_definition_id', 'split_definitions', 'v.split_definition_id IS NOT NULL')}`);
  if ((await groupRecovered(a, '_rsv', '_rs', 'split_definitions', KEY)) === 0) return;
  const archive = randomUUID();
  await a.sql(
    `INSERT INTO split_definitions (id, created_at, updated_at, deleted_at, deletion_id, root_id, activity_id, name, "order")
     SELECT new_id, COALESCE(first_seen, '${a.now}'), '${a.now}', '${a.now}', '${archive}', root_id, activity_id, 'Recovered split ' || old_id, 0 FROM _rs`,
  );
  for (const r of await a.sql<{ old_id: string; new_id: string; n: number }>(`SELECT * FROM _rs`)) {
    a.report.recovered.push({ table: 'split_definitions', id: r.new_id, name: `Recovered split ${r.old_id}`, why: `archived; ${r.n} value(s) used the missing split ${r.old_id}` });
  }
  await repoint(a, 'metric_values', 'split_definition_id', '_rsv', '_rs', KEY);
}
