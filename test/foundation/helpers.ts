import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { tempDir } from '../helpers/db';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Runs raw SQL with `?` placeholders on either engine (PostgreSQL wants $1, $2...). */
export function sql<T = any>(ds: DataSource, text: string, params: unknown[] = []): Promise<T[]> {
  if (ds.options.type === 'postgres') {
    let n = 0;
    text = text.replace(/\?/g, () => `$${++n}`);
  }
  return ds.query(text, params);
}

/** A raw INSERT, bypassing entities, subscribers and every check the code could make. */
export function insertRow(ds: DataSource, table: string, row: Record<string, unknown>): Promise<unknown> {
  const cols = Object.keys(row);
  return sql(
    ds,
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    cols.map((c) => row[c]),
  );
}

export function isPostgres(ds: DataSource): boolean {
  return ds.options.type === 'postgres';
}

export async function userTables(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(ds)
    ? await ds.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
    : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows.map((r) => r.name).sort();
}

/**
 * The whole schema as text: sqlite_master on SQLite; columns, indexes and constraints from
 * the catalogs on PostgreSQL. Two equal snapshots mean the same schema.
 */
export async function schemaSnapshot(ds: DataSource, exclude: string[] = []): Promise<string[]> {
  const skip = new Set(exclude);
  if (!isPostgres(ds)) {
    const rows: { type: string; name: string; tbl_name: string; sql: string | null }[] = await ds.query(
      `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    );
    return rows.filter((r) => !skip.has(r.tbl_name)).map((r) => `${r.type} ${r.name} ${r.tbl_name} ${r.sql}`);
  }
  const cols: any[] = await ds.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const idx: any[] = await ds.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  const cons: any[] = await ds.query(
    `SELECT t.relname AS table_name, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' ORDER BY c.conname`,
  );
  // Functions and policies too: some migrations (row-level security, fg_enter_root) add only those.
  const fns: any[] = await ds.query(
    `SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, md5(pg_get_functiondef(p.oid)) AS def,
            coalesce(array_to_string(p.proacl, ','), '') AS acl
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1, 2`,
  );
  const policies: any[] = await ds.query(`SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`);
  // Extended statistics: RootDependencies adds only those.
  const stats: any[] = await ds.query(
    `SELECT s.stxrelid::regclass::text AS table_name, s.stxname AS name, pg_get_statisticsobjdef(s.oid) AS def FROM pg_statistic_ext s
     JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = 'public' ORDER BY 2`,
  );
  // Triggers: RootVersions adds them on every tenant table.
  const triggers: any[] = await ds.query(
    `SELECT c.relname AS table_name, t.tgname AS name, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 2`,
  );
  return [
    ...cols.filter((c) => !skip.has(c.table_name)).map((c) => `column ${c.table_name}.${c.column_name} ${c.data_type} ${c.is_nullable} ${c.column_default}`),
    ...idx.filter((i) => !skip.has(i.tablename)).map((i) => `index ${i.indexname} ${i.indexdef}`),
    ...cons.filter((c) => !skip.has(c.table_name)).map((c) => `constraint ${c.table_name}.${c.conname} ${c.def}`),
    ...fns.map((f) => `function ${f.name}(${f.args}) ${f.def} ${f.acl}`),
    ...policies.filter((p) => !skip.has(p.tablename)).map((p) => `policy ${p.tablename}.${p.policyname} ${p.cmd} ${p.qual} ${p.with_check}`),
    ...stats.filter((x) => !skip.has(x.table_name)).map((x) => `statistics ${x.name} ${x.def}`),
    ...triggers.filter((x) => !skip.has(x.table_name)).map((x) => `trigger ${x.name} ${x.def}`),
  ];
}

/** Every table's rows, in a stable order, so that a comparison covers counts and values. */
export async function tableContents(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  // root_versions holds random tokens by design, and every migration run gives each root a new one.
  for (const t of (await userTables(ds)).filter((name) => name !== 'root_versions')) {
    const cols: string[] = isPostgres(ds)
      ? (await sql<{ c: string }>(ds, `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?`, [t])).map((r) => r.c)
      : (await ds.query(`PRAGMA table_info("${t}")`)).map((r: { name: string }) => r.name);
    const order = cols.includes('id') ? '"id"' : cols.map((c) => `"${c}"`).join(', ');
    out[t] = await ds.query(`SELECT * FROM "${t}" ORDER BY ${order}`);
  }
  return out;
}

export async function rowCounts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await userTables(ds)) {
    const [row] = await ds.query(`SELECT count(*) AS n FROM "${t}"`);
    out[t] = Number(row.n);
  }
  return out;
}

/**
 * A throwaway copy of the project (sources, configs, a link to node_modules) so that a real
 * process run with that cwd shows exactly which files under data/ and backups/ it touches.
 */
export function projectCopy(): { dir: string; remove(): void } {
  const dir = tempDir('fg-project-');
  for (const entry of ['src', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'package.json']) {
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The parent's environment without anything that picks an environment or a database. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(APP_ENV|DB_ENGINE|DATABASE_|JWT_|PORT$|HOST$|BACKUP_DIR$|MIGRATION_DRY_RUN$|NODE_ENV$|LOG_LEVEL$|CORS_ORIGINS$|HTTP_\w+_TIMEOUT_MS$|npm_)/.test(key)) delete env[key];
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  output: string;
}

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** `npm run -s <script> -- <args>` in the given project directory. */
export function npmRun(cwd: string, script: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Run> {
  return run('npm', ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], { cwd, env });
}

/** A TypeScript entry point through ts-node in transpile-only mode (swc), no build needed. */
export function tsNodeArgs(entry: string): string[] {
  return ['-r', 'ts-node/register/transpile-only', entry];
}

/** Resolves once the child's output contains the marker; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, marker: RegExp, timeoutMs = 30000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${marker}; output so far:\n${seen}`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (marker.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before ${marker}; output:\n${seen}`));
    });
  });
}

/** Files under dir, relative, sorted; [] when dir does not exist. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort();
}

let seq = 0;
/** A uuid-shaped id that is unique within the run and readable in failures. */
export function testId(tag: string): string {
  const n = (++seq).toString(16).padStart(12, '0');
  const t = Buffer.from(tag).toString('hex').padEnd(8, '0').slice(0, 8);
  return `${t}-0000-4000-8000-${n}`;
}

/**
 * The schema compared by meaning. SQLite keeps each table's CREATE text, and TypeORM's table
 * rebuild (ALTER emulation) rewrites that text: it adds "ON UPDATE NO ACTION" (the default),
 * wraps CHECK bodies in more parentheses, and renames composite foreign keys. So on SQLite
 * this reads the catalog instead: columns, foreign keys, indexes, and CHECKs by name and body.
 */
export async function semanticSchema(ds: DataSource, exclude: string[] = []): Promise<string[]> {
  if (isPostgres(ds)) return schemaSnapshot(ds, exclude);
  const out: string[] = [];
  for (const t of (await userTables(ds)).filter((name) => !exclude.includes(name))) {
    for (const c of await ds.query(`PRAGMA table_xinfo("${t}")`)) out.push(`column ${t}.${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
    const fks: any[] = await ds.query(`PRAGMA foreign_key_list("${t}")`);
    const byId = new Map<number, string[]>();
    for (const f of fks) byId.set(f.id, [...(byId.get(f.id) ?? []), `${f.from}->${f.table}.${f.to} ${f.on_update}/${f.on_delete}`]);
    for (const parts of byId.values()) out.push(`fk ${t} ${parts.join(',')}`);
    const [{ sql: createSql }] = await ds.query(`SELECT sql FROM sqlite_master WHERE name = ?`, [t]);
    for (const m of (createSql as string).matchAll(/CONSTRAINT "([^"]+)" CHECK /g)) {
      out.push(`check ${t}.${m[1]} ${parenthesized(createSql, m.index! + m[0].length).replace(/[()\s]/g, '')}`);
    }
  }
  const idx: any[] = await ds.query(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`);
  for (const i of idx.filter((r) => !exclude.includes(r.tbl_name))) out.push(`index ${i.name} ${i.sql}`);
  const triggers: any[] = await ds.query(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`);
  for (const t of triggers.filter((r) => !exclude.includes(r.tbl_name))) out.push(`trigger ${t.name} ${t.sql}`);
  return out.sort();
}

/** The balanced (...) group that starts at text[start]. */
function parenthesized(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

/**
 * Undoes the applied migrations, newest first, down to and including `name`: a test of one
 * migration's down() keeps working when later migrations are added after it.
 */
export async function undoThrough(ds: DataSource, name: string): Promise<void> {
  const applied = async () => ((await ds.query(`SELECT name FROM migrations ORDER BY id DESC`)) as { name: string }[]).map((m) => m.name);
  if (!(await applied()).includes(name)) throw new Error(`${name} is not applied`);
  while ((await applied()).includes(name)) await ds.undoLastMigration();
}
