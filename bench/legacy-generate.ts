/**
 * Writes a large shape-2 Flask-era SQLite file for the adoption benchmark.
 *
 *   npx ts-node --transpile-only bench/legacy-generate.ts [out.db] [roots] [instances] [values]
 *
 * Defaults: /tmp/fg-legacy-bench.db, 1,000 roots, 1,000,000 activity_instances,
 * 3,000,000 metric_values. The DDL is read from the shared backup itself (the real shape 2);
 * the rows are made set-wise with recursive CTEs. The data is messy the way real files are:
 * goals.root_id NULL on a third of the rows, mixed timestamp formats, and 2% of the values
 * pointing at metric definitions that were deleted.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SHARED = path.resolve(__dirname, '../../shared/legacy/goals_dev.db.backup_20260101_152821');

function main(): void {
  const out = process.argv[2] ?? '/tmp/fg-legacy-bench.db';
  const roots = Number(process.argv[3] ?? 1_000);
  const instances = Number(process.argv[4] ?? 1_000_000);
  const values = Number(process.argv[5] ?? 3_000_000);
  const sessionsPerRoot = 100;
  const sessions = roots * sessionsPerRoot;
  const activitiesPerRoot = 10;
  const started = Date.now();

  const source = new Database(SHARED, { readonly: true, fileMustExist: true });
  const ddl = (source.prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid`).all() as { sql: string }[]).map((r) => r.sql);
  source.close();

  fs.rmSync(out, { force: true });
  const db = new Database(out);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -200000');
  for (const sql of ddl) db.exec(sql);

  // A uuid-shaped id per kind and number, scattered like uuid4 (an odd multiplier modulo 2^48 is
  // a bijection, so ids stay unique), so that inserts and lookups are as random as in real files.
  const id = (kind: number, n: string) =>
    `printf('%08x-%04x-4%03x-8%03x-%012x', ${kind} * 2654435761 % 4294967296, ${kind}, (${n}) % 4096, (${n}) / 4096 % 4096, ((${n}) * 2654435761) % 281474976710656)`;
  // Mixed timestamp formats, as the Flask app, SQLite and the frontend wrote them.
  const ts = (n: string) =>
    `CASE ${n} % 10 WHEN 0 THEN printf('2025-12-%02dT%02d:%02d:%02d.%06d', 1 + ${n} % 28, ${n} % 24, ${n} % 60, (${n} / 60) % 60, ${n} % 1000000)
       WHEN 1 THEN printf('2025-12-%02d %02d:%02d:%02d', 1 + ${n} % 28, ${n} % 24, ${n} % 60, (${n} / 60) % 60)
       ELSE printf('2025-12-%02d %02d:%02d:%02d.%06d', 1 + ${n} % 28, ${n} % 24, ${n} % 60, (${n} / 60) % 60, ${n} % 1000000) END`;
  const seq = (count: number) => `WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < ${count})`;
  const step = (label: string, sql: string) => {
    const t = Date.now();
    db.exec(sql);
    console.log(`${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  db.exec('BEGIN');
  // Each root: UltimateGoal > LongTermGoal > MidTermGoal > ShortTermGoal (kinds 1-4), root_id NULL on a third.
  step('goals', `${seq(roots * 4)}
    INSERT INTO goals (id, type, name, description, completed, created_at, updated_at, parent_id, root_id)
    SELECT ${id(1, 'n')},
      CASE n % 4 WHEN 0 THEN 'UltimateGoal' WHEN 1 THEN 'LongTermGoal' WHEN 2 THEN 'MidTermGoal' ELSE 'ShortTermGoal' END,
      'Goal ' || n, '', 0, ${ts('n')}, NULL,
      CASE WHEN n % 4 = 0 THEN NULL ELSE ${id(1, 'n - 1')} END,
      CASE WHEN n % 3 = 0 THEN NULL ELSE ${id(1, '(n / 4) * 4')} END
    FROM s`);
  step('sessions', `${seq(sessions)}
    INSERT INTO goals (id, type, name, completed, created_at, parent_id, root_id, session_start, session_end, total_duration_seconds, session_data)
    SELECT ${id(2, 'n')}, 'PracticeSession', 'Session ' || n, n % 2, ${ts('n')},
      ${id(1, `(n / ${sessionsPerRoot}) * 4 + 3`)}, CASE WHEN n % 5 = 0 THEN NULL ELSE ${id(1, `(n / ${sessionsPerRoot}) * 4`)} END,
      ${ts('n')}, NULL, 1800, '{"sections":[]}'
    FROM s`);
  step('activity_definitions', `${seq(roots * activitiesPerRoot)}
    INSERT INTO activity_definitions (id, root_id, name, created_at, has_sets, has_metrics)
    SELECT ${id(3, 'n')}, ${id(1, `(n / ${activitiesPerRoot}) * 4`)}, 'Activity ' || n, ${ts('n')}, 0, 1 FROM s`);
  step('metric_definitions', `${seq(roots * activitiesPerRoot * 3)}
    INSERT INTO metric_definitions (id, activity_id, name, unit, created_at, is_active)
    SELECT ${id(4, 'n')}, ${id(3, 'n / 3')}, 'Metric ' || (n % 3), 'reps', ${ts('n')}, 1 FROM s`);
  step('activity_instances', `${seq(instances)}
    INSERT INTO activity_instances (id, practice_session_id, activity_definition_id, created_at, time_start, time_stop, duration_seconds)
    SELECT ${id(5, 'n')}, ${id(2, `n % ${sessions}`)},
      ${id(3, `((n % ${sessions}) / ${sessionsPerRoot}) * ${activitiesPerRoot} + n % ${activitiesPerRoot}`)},
      ${ts('n')}, ${ts('n')}, NULL, n % 600 FROM s`);
  // Three values per instance, on its activity's three metrics; 2% on a deleted metric id (kind 6).
  step('metric_values', `${seq(values)}
    INSERT INTO metric_values (id, activity_instance_id, metric_definition_id, value)
    SELECT ${id(7, 'n')}, ${id(5, `(n / 3) % ${instances}`)},
      CASE WHEN n % 50 = 0 THEN ${id(6, `((n / 3) % ${instances}) % 997`)}
           ELSE ${id(4, `(((((n / 3) % ${instances}) % ${sessions}) / ${sessionsPerRoot}) * ${activitiesPerRoot} + ((n / 3) % ${instances}) % ${activitiesPerRoot}) * 3 + n % 3`)} END,
      (n % 1000) / 10.0 FROM s`);
  db.exec('COMMIT');
  db.close();
  const size = fs.statSync(out).size;
  console.log(`Wrote ${out}: ${roots} roots, ${sessions} sessions, ${instances} activity_instances, ${values} metric_values, ${(size / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
