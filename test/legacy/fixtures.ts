import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEmptyDatabase, TestDatabase } from '../helpers/db';

/** The real Flask-era backup that the seed report names (read-only; always copied first). */
export const SHARED_FILE = path.resolve(__dirname, '../../../shared/legacy/goals_dev.db.backup_20260101_152821');

type Row = Record<string, unknown>;

/** Each historical shape's DDL, as the Flask app and the old improvement script left it. */
const SHAPE_2_CORE = {
  goals: `CREATE TABLE goals (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, description TEXT DEFAULT '', deadline TIMESTAMP,
    completed BOOLEAN DEFAULT 0, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, parent_id TEXT,
    root_id TEXT, duration_minutes INTEGER, session_data TEXT,
    targets TEXT, updated_at TIMESTAMP, session_start TIMESTAMP, session_end TIMESTAMP, total_duration_seconds INTEGER, template_id TEXT, attributes TEXT%EXTRA%,
    FOREIGN KEY (parent_id) REFERENCES goals(id) ON DELETE CASCADE)`,
  session_templates: `CREATE TABLE session_templates (
    id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR, root_id VARCHAR NOT NULL, created_at DATETIME,
    template_data VARCHAR NOT NULL%EXTRA%, PRIMARY KEY (id), FOREIGN KEY(root_id) REFERENCES goals (id))`,
  activity_definitions: `CREATE TABLE activity_definitions (
    id TEXT PRIMARY KEY, root_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT DEFAULT '',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, has_sets BOOLEAN DEFAULT 0, has_metrics BOOLEAN DEFAULT 1,
    metrics_multiplicative BOOLEAN DEFAULT 0%EXTRA%, FOREIGN KEY (root_id) REFERENCES goals(id))`,
  metric_definitions: `CREATE TABLE metric_definitions (
    id TEXT PRIMARY KEY, activity_id TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, deleted_at TIMESTAMP, is_active BOOLEAN DEFAULT 1,
    is_top_set_metric BOOLEAN DEFAULT 0, is_multiplicative BOOLEAN DEFAULT 1%EXTRA%,
    FOREIGN KEY (activity_id) REFERENCES activity_definitions(id))`,
  activity_instances: `CREATE TABLE activity_instances (
    id TEXT PRIMARY KEY, practice_session_id TEXT NOT NULL, activity_definition_id TEXT NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, time_start TIMESTAMP, time_stop TIMESTAMP, duration_seconds INTEGER%EXTRA%,
    FOREIGN KEY (practice_session_id) REFERENCES goals(id) ON DELETE CASCADE)`,
  metric_values: `CREATE TABLE metric_values (
    id TEXT PRIMARY KEY, activity_instance_id TEXT NOT NULL, metric_definition_id TEXT NOT NULL, value FLOAT NOT NULL%EXTRA%,
    FOREIGN KEY (activity_instance_id) REFERENCES activity_instances(id) ON DELETE CASCADE)`,
  practice_session_goals: `CREATE TABLE practice_session_goals (
    practice_session_id VARCHAR NOT NULL, short_term_goal_id VARCHAR NOT NULL,
    PRIMARY KEY (practice_session_id, short_term_goal_id))`,
};

const withExtra = (ddl: string, extra = '') => ddl.replace('%EXTRA%', extra);

export const SHAPE_DDL: Record<1 | 2 | 3 | 4, string[]> = {
  1: [
    `CREATE TABLE goals (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL CHECK (type IN ('UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'ImmediateGoal', 'MicroGoal', 'NanoGoal')),
      name TEXT NOT NULL, description TEXT DEFAULT '', deadline TIMESTAMP, completed BOOLEAN DEFAULT 0,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP, parent_id TEXT, targets TEXT,
      FOREIGN KEY (parent_id) REFERENCES goals(id) ON DELETE CASCADE)`,
    `CREATE TABLE practice_sessions (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, completed BOOLEAN DEFAULT 0,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, root_id TEXT, session_data TEXT, duration_minutes INTEGER)`,
    `CREATE TABLE practice_session_goals (
      id INTEGER PRIMARY KEY AUTOINCREMENT, practice_session_id TEXT NOT NULL, short_term_goal_id TEXT NOT NULL,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
      FOREIGN KEY (practice_session_id) REFERENCES practice_sessions(id), FOREIGN KEY (short_term_goal_id) REFERENCES goals(id))`,
    `CREATE TABLE activity_definitions (
      id TEXT PRIMARY KEY, root_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT DEFAULT '',
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, has_sets BOOLEAN DEFAULT 0, has_metrics BOOLEAN DEFAULT 1)`,
    `CREATE TABLE metric_definitions (
      id TEXT PRIMARY KEY, activity_id TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`,
    `CREATE TABLE activity_instances (
      id TEXT PRIMARY KEY, practice_session_id TEXT NOT NULL, activity_definition_id TEXT NOT NULL,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, time_start TIMESTAMP, time_stop TIMESTAMP, duration_seconds INTEGER)`,
    `CREATE TABLE metric_values (
      id TEXT PRIMARY KEY, activity_instance_id TEXT NOT NULL, metric_definition_id TEXT NOT NULL, value FLOAT NOT NULL)`,
    // session_templates did not exist yet: a missing table.
  ],
  2: Object.values(SHAPE_2_CORE).map((d) => withExtra(d)),
  3: [
    // The production file: the script stopped at "no such column group_id" after phases 1-3 in part.
    withExtra(SHAPE_2_CORE.goals, ', sort_order INTEGER DEFAULT 0'),
    withExtra(SHAPE_2_CORE.session_templates),
    withExtra(SHAPE_2_CORE.activity_definitions),
    withExtra(SHAPE_2_CORE.metric_definitions, ', root_id STRING'),
    withExtra(SHAPE_2_CORE.activity_instances, ', root_id STRING, deleted_at DATETIME NULL'),
    withExtra(SHAPE_2_CORE.metric_values, ', root_id STRING'),
    withExtra(SHAPE_2_CORE.practice_session_goals),
    `CREATE INDEX idx_goals_parent_id ON goals(parent_id)`,
    `CREATE INDEX idx_goals_root_id ON goals(root_id)`,
    `CREATE INDEX idx_activity_instances_root ON activity_instances(root_id)`,
    `CREATE INDEX idx_metric_values_root ON metric_values(root_id)`,
    // No activity_groups, split_definitions or programs; no has_splits, group_id or split_definition_id.
  ],
  4: [
    withExtra(SHAPE_2_CORE.goals, ', deleted_at DATETIME NULL, sort_order INTEGER DEFAULT 0'),
    withExtra(SHAPE_2_CORE.session_templates, ', deleted_at DATETIME NULL, updated_at DATETIME NULL'),
    withExtra(SHAPE_2_CORE.activity_definitions, ', has_splits BOOLEAN DEFAULT 0, group_id VARCHAR, deleted_at DATETIME NULL, updated_at DATETIME NULL'),
    withExtra(SHAPE_2_CORE.metric_definitions, ', root_id STRING, updated_at DATETIME NULL, sort_order INTEGER DEFAULT 0'),
    withExtra(SHAPE_2_CORE.activity_instances, ', root_id STRING, deleted_at DATETIME NULL, updated_at DATETIME NULL, sort_order INTEGER DEFAULT 0'),
    withExtra(SHAPE_2_CORE.metric_values, ', split_definition_id STRING, root_id STRING, created_at DATETIME NULL, updated_at DATETIME NULL'),
    withExtra(SHAPE_2_CORE.practice_session_goals),
    `CREATE TABLE split_definitions (id VARCHAR NOT NULL, activity_id VARCHAR NOT NULL, name VARCHAR NOT NULL, "order" INTEGER NOT NULL,
      created_at DATETIME, root_id STRING, deleted_at DATETIME NULL, updated_at DATETIME NULL, PRIMARY KEY (id))`,
    `CREATE TABLE activity_groups (id VARCHAR PRIMARY KEY, root_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR DEFAULT '',
      created_at TIMESTAMP, sort_order INTEGER DEFAULT 0, deleted_at DATETIME NULL, updated_at DATETIME NULL)`,
    `CREATE TABLE programs (id VARCHAR NOT NULL, root_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR,
      start_date DATETIME NOT NULL, end_date DATETIME NOT NULL, created_at DATETIME, updated_at DATETIME, is_active BOOLEAN,
      goal_ids TEXT NOT NULL, weekly_schedule TEXT NOT NULL, PRIMARY KEY (id))`,
    `CREATE TABLE program_blocks (id VARCHAR NOT NULL, program_id VARCHAR NOT NULL, name VARCHAR NOT NULL, start_date DATE, end_date DATE,
      color VARCHAR, goal_ids TEXT, PRIMARY KEY (id))`,
    `CREATE TABLE program_days (id VARCHAR NOT NULL, block_id VARCHAR NOT NULL, date DATE, day_number INTEGER, name VARCHAR, notes TEXT, PRIMARY KEY (id))`,
    `CREATE TABLE scheduled_sessions (id VARCHAR NOT NULL, day_id VARCHAR NOT NULL, session_template_id VARCHAR, is_completed BOOLEAN,
      completion_data TEXT, PRIMARY KEY (id))`,
    // The old script's 31 indexes (26 or more).
    ...[
      ['goals', 'parent_id'], ['goals', 'root_id'], ['goals', 'type'], ['goals', 'created_at'],
      ['activity_instances', 'practice_session_id'], ['activity_instances', 'activity_definition_id'], ['activity_instances', 'root_id'],
      ['metric_values', 'activity_instance_id'], ['metric_values', 'metric_definition_id'], ['metric_values', 'root_id'],
      ['metric_definitions', 'activity_id'], ['metric_definitions', 'root_id'], ['split_definitions', 'activity_id'],
      ['split_definitions', 'root_id'], ['activity_definitions', 'group_id'], ['activity_definitions', 'root_id'],
      ['activity_groups', 'root_id'], ['session_templates', 'root_id'], ['activity_instances', 'root_id, created_at DESC'],
      ['metric_values', 'root_id, metric_definition_id'], ['activity_instances', 'practice_session_id, created_at'],
      ['goals', 'parent_id, type'], ['goals', 'root_id, type'], ['goals', 'session_start'], ['goals', 'session_end'],
      ['goals', 'template_id'], ['goals', 'total_duration_seconds'],
    ].map(([t, c], i) => `CREATE INDEX idx_old_${i} ON ${t}(${c})`),
    `CREATE INDEX idx_metric_definitions_active ON metric_definitions(activity_id) WHERE is_active = 1`,
    `CREATE INDEX idx_goals_completed ON goals(root_id, type) WHERE completed = 1`,
    `CREATE INDEX idx_goals_practice_sessions ON goals(root_id, created_at) WHERE type = 'PracticeSession'`,
  ],
};

function insert(db: Database.Database, table: string, rows: Row[]): void {
  for (const row of rows) {
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => (typeof row[c] === 'boolean' ? (row[c] ? 1 : 0) : row[c])),
    );
  }
}

export interface Fixture {
  shape: 1 | 2 | 3 | 4;
  data: Record<string, Row[]>;
}

/** Writes a Flask-era file of the given shape with the given rows (SQLite does not enforce the old FKs). */
export function writeLegacyFile(file: string, fixture: Fixture): void {
  const db = new Database(file);
  // The Flask app never switched foreign keys on; better-sqlite3 does by default.
  db.pragma('foreign_keys = OFF');
  try {
    for (const ddl of SHAPE_DDL[fixture.shape]) db.exec(ddl);
    for (const [table, rows] of Object.entries(fixture.data)) insert(db, table, rows);
  } finally {
    db.close();
  }
}

/** An empty test database whose file is replaced by a copy of a legacy file. */
export async function legacyDatabase(source: string | Fixture, env: NodeJS.ProcessEnv = {}): Promise<TestDatabase> {
  const db = await createEmptyDatabase(env);
  if (typeof source === 'string') {
    fs.copyFileSync(source, db.location);
    fs.chmodSync(db.location, 0o644);
  } else {
    writeLegacyFile(db.location, source);
  }
  return db;
}

/** Reads a SQLite file directly (no TypeORM), for before/after comparisons. */
export function readAll(file: string, sql: string, params: unknown[] = []): Row[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Row[];
  } finally {
    db.close();
  }
}

/** Normalized schema: every table, column, index and constraint, as sqlite_master and the pragmas give them. */
export function normalizedSchema(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const master = db
      .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
      .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
    const out: string[] = [];
    for (const m of master) {
      out.push(`${m.type} ${m.name} ON ${m.tbl_name}: ${(m.sql ?? '').replace(/\s+/g, ' ').trim()}`);
      if (m.type === 'table') {
        for (const c of db.prepare(`PRAGMA table_xinfo("${m.name}")`).all() as Row[]) out.push(`  column ${m.name}.${JSON.stringify(c)}`);
        for (const f of db.prepare(`PRAGMA foreign_key_list("${m.name}")`).all() as Row[]) out.push(`  fk ${m.name}.${JSON.stringify(f)}`);
        for (const i of db.prepare(`PRAGMA index_list("${m.name}")`).all() as Row[]) {
          const cols = (db.prepare(`PRAGMA index_info("${i.name}")`).all() as Row[]).map((x) => x.name).join(',');
          // Auto-index names carry a per-file counter; their content is what matters.
          const name = String(i.name).startsWith('sqlite_autoindex') ? 'auto' : i.name;
          out.push(`  index ${m.name}.${name} unique=${i.unique} origin=${i.origin} partial=${i.partial} (${cols})`);
        }
      }
    }
    return out.sort();
  } finally {
    db.close();
  }
}
