import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeTimestamp } from '../../migrations/lib/legacy/values';
import { createApp } from '../../src/app.factory';
import { ENTITIES } from '../../src/database/entities';
import { TestDatabase, tempDir } from '../helpers/db';
import { legacyDatabase, normalizedSchema, readAll, SHARED_FILE } from './fixtures';
import { freshMigratedSchema, migrate, MigrationRun } from './run';

type Row = Record<string, any>;

const TIMESTAMPS = new Set(['created_at', 'updated_at', 'deleted_at', 'deadline', 'session_start', 'session_end', 'time_start', 'time_stop', 'start_date', 'end_date']);
const TABLES = [
  'goals', 'session_templates', 'practice_session_goals', 'activity_groups', 'activity_definitions', 'metric_definitions',
  'split_definitions', 'activity_instances', 'metric_values', 'programs', 'program_blocks', 'program_days', 'scheduled_sessions',
];
const PROJECT = path.resolve(__dirname, '../..');

describe('adopting the shared Flask-era file (goals_dev.db.backup_20260101_152821)', () => {
  const source = (sql: string, params: unknown[] = []): Row[] => readAll(SHARED_FILE, sql, params);
  let db: TestDatabase;
  let run: MigrationRun;
  const q = (sql: string, params: unknown[] = []): Row[] => readAll(db.location, sql, params);

  beforeAll(async () => {
    delete process.env.LEGACY_OWNER_EMAIL;
    db = await legacyDatabase(SHARED_FILE);
    run = await migrate(db);
  });
  afterAll(() => db.drop());

  it('detects shape 2 and keeps every row of every table, quarantining none', () => {
    expect(run.report!.shape.number).toBe(2);
    expect(run.report!.shape.legacyIndexes).toBe(5);
    const kept = Object.fromEntries(run.report!.counts.map((c) => [c.table, c.kept]));
    // The seed report's table.
    expect(kept).toMatchObject({ goals: 45, activity_instances: 79, metric_values: 116 });
    for (const t of TABLES) {
      const before = source(`SELECT count(*) AS n FROM ${t}`)[0].n;
      const count = run.report!.counts.find((c) => c.table === t)!;
      expect({ t, before: count.before, kept: count.kept, quarantined: count.quarantined }).toEqual({ t, before, kept: before, quarantined: 0 });
    }
    expect(q(`SELECT count(*) AS n FROM legacy_quarantine`)[0].n).toBe(0);
    // Recovered rows are counted apart: 3 roots the file names but lost, 19 metric definitions.
    expect(q(`SELECT count(*) AS n FROM goals`)[0].n).toBe(45 + 3);
    expect(q(`SELECT count(*) AS n FROM metric_definitions`)[0].n).toBe(24 + 19);
    expect(q(`SELECT count(*) AS n FROM activity_instances`)[0].n).toBe(79);
    expect(q(`SELECT count(*) AS n FROM metric_values`)[0].n).toBe(116);
  });

  it('keeps all 116 values readable: the 56 whose metric was deleted get recovered, inactive definitions on their instance activity', () => {
    const orphans = source(
      `SELECT v.id, v.metric_definition_id, i.activity_definition_id FROM metric_values v JOIN activity_instances i ON i.id = v.activity_instance_id
       WHERE NOT EXISTS (SELECT 1 FROM metric_definitions d WHERE d.id = v.metric_definition_id)`,
    );
    expect(orphans).toHaveLength(56);
    for (const o of orphans) {
      const d = q(
        `SELECT d.* FROM metric_values v JOIN metric_definitions d ON d.id = v.metric_definition_id AND d.root_id = v.root_id WHERE v.id = ?`,
        [o.id],
      )[0];
      expect(d).toMatchObject({
        id: o.metric_definition_id,
        name: `Recovered metric ${o.metric_definition_id}`,
        activity_id: o.activity_definition_id,
        is_active: 0,
        recovered_from_legacy: 1,
        deleted_at: null,
      });
    }
    expect(q(`SELECT count(*) AS n FROM metric_definitions WHERE recovered_from_legacy = 1`)[0].n).toBe(19);
    expect(run.report!.recovered.filter((r) => r.table === 'metric_definitions')).toHaveLength(19);
    expect(q(`SELECT count(*) AS n FROM metric_values v JOIN metric_definitions d ON d.id = v.metric_definition_id AND d.root_id = v.root_id`)[0].n).toBe(116);
  });

  it('keeps every value byte-equal, or converted without loss (timestamps), except the reported repairs', () => {
    const renamed = new Map(run.report!.repairs.filter((r) => r.what.startsWith('duplicate name')).map((r) => [r.id, r.what]));
    const cleared = new Map(run.report!.repairs.filter((r) => r.what.includes('cleared')).map((r) => [r.id, r.what]));
    for (const t of TABLES) {
      const newCols = new Set(q(`PRAGMA table_info(${t})`).map((c) => c.name));
      const legacyCols = source(`PRAGMA table_info(${t})`).map((c) => c.name as string).filter((c) => newCols.has(c) && c !== 'root_id');
      for (const old of source(`SELECT * FROM ${t}`)) {
        const now = t === 'practice_session_goals'
          ? q(`SELECT * FROM ${t} WHERE practice_session_id = ? AND short_term_goal_id = ?`, [old.practice_session_id, old.short_term_goal_id])[0]
          : q(`SELECT * FROM ${t} WHERE id = ?`, [old.id])[0];
        expect(now).toBeDefined();
        for (const c of legacyCols) {
          const where = `${t}.${c} of ${old.id ?? old.practice_session_id}`;
          if (c === 'name' && renamed.has(old.id)) {
            expect(renamed.get(old.id)).toBe(`duplicate name "${old.name}" renamed to "${now.name}"`);
          } else if (cleared.has(old.id) && (c === 'template_id' || c === 'group_id' || c === 'session_template_id')) {
            expect({ where, now: now[c] }).toEqual({ where, now: null });
          } else if (TIMESTAMPS.has(c) && old[c] !== null) {
            const expected = t === 'program_blocks' ? old[c] : normalizeTimestamp(old[c]);
            expect({ where, value: now[c] }).toEqual({ where, value: expected });
            if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(old[c])) expect(now[c]).toBe(old[c]);
          } else if (t === 'goals' && c === 'parent_id' && old[c] === null && now.id !== now.root_id) {
            // Kept parentless under its root by the adoption; RootInvariants hangs it under its root.
            expect({ where, value: now[c] }).toEqual({ where, value: now.root_id });
            expect(run.lines.join('\n')).toMatch(new RegExp(`goal\\(s\\) without a parent inside a root: now children of their root: .*${now.id}`));
          } else if (c === 'created_at' || c === 'updated_at') {
            expect(now[c]).toEqual(expect.any(String)); // NULL in the file: filled from the row or its parent
          } else {
            expect({ where, value: now[c] }).toEqual({ where, value: old[c] });
          }
        }
      }
    }
  });

  it("gives each session the sections its session_data names, in order, with the instances it lists there", () => {
    const sessions = source(`SELECT id, session_data FROM goals WHERE type = 'PracticeSession' AND session_data IS NOT NULL`);
    expect(sessions.length).toBe(19);
    for (const s of sessions) {
      const json = JSON.parse(s.session_data).sections.filter((x: unknown) => typeof x === 'object' && x !== null);
      const rows = q(`SELECT id, name FROM session_sections WHERE session_id = ? ORDER BY position`, [s.id]);
      expect({ id: s.id, names: rows.map((r) => r.name) }).toEqual({ id: s.id, names: json.map((x: Row, i: number) => (String(x.name ?? '').trim() || `Section ${i + 1}`)) });
      for (const [k, x] of json.entries()) {
        const listed = [...(x.exercises ?? []), ...(x.activities ?? [])].map((e: Row) => e.instance_id).filter(Boolean);
        const own = q(`SELECT id FROM activity_instances WHERE practice_session_id = ? AND section_id = ?`, [s.id, rows[k].id]).map((r) => r.id);
        expect(own.every((i: string) => listed.includes(i))).toBe(true);
      }
    }
    expect(q(`SELECT count(*) AS n FROM activity_instances WHERE section_id IS NOT NULL`)[0].n).toBeGreaterThan(0);
  });

  it('turns the goal_ids of the program and its block into links to the goal, in its root', () => {
    expect(source(`SELECT id, goal_ids FROM programs`)).toEqual([{ id: '9705d2c4-89a1-41bd-84ce-2b2e35c92765', goal_ids: '["fd80eb47-fb2a-44e2-b1e8-489866beec6d"]' }]);
    expect(q(`SELECT program_id, goal_id, sort_order, root_id FROM program_goals`)).toEqual([
      { program_id: '9705d2c4-89a1-41bd-84ce-2b2e35c92765', goal_id: 'fd80eb47-fb2a-44e2-b1e8-489866beec6d', sort_order: 0, root_id: '2c848745-856e-4e3a-8b05-ebdd206de496' },
    ]);
    expect(source(`SELECT id FROM program_blocks WHERE goal_ids IS NOT NULL`)).toEqual([{ id: '1767200643898' }]);
    expect(q(`SELECT block_id, goal_id, sort_order FROM program_block_goals`)).toEqual([
      { block_id: '1767200643898', goal_id: 'fd80eb47-fb2a-44e2-b1e8-489866beec6d', sort_order: 0 },
    ]);
  });

  it('backfills root_id from the tree for every row; children share their parent root', () => {
    for (const n of run.report!.nullRootIds) expect(n).toEqual({ table: n.table, count: 0 });
    const goalsWithoutRoot = source(`SELECT count(*) AS n FROM goals WHERE root_id IS NULL`)[0].n;
    expect(goalsWithoutRoot).toBeGreaterThan(0);
    const tree = q(
      `WITH RECURSIVE up(id, top) AS (SELECT id, id FROM goals WHERE parent_id IS NULL
         UNION ALL SELECT g.id, up.top FROM goals g JOIN up ON g.parent_id = up.id)
       SELECT count(*) AS n FROM up JOIN goals g ON g.id = up.id JOIN goals t ON t.id = up.top WHERE g.root_id <> t.root_id`,
    );
    expect(tree[0].n).toBe(0);
    expect(q('PRAGMA foreign_key_check')).toEqual([]);
    expect(q('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // The runner's checks over the whole database, before the commit.
    expect(run.lines.join('\n')).toMatch(/Applied: .*AdoptLegacy1767225600001.* integrity_check ok, foreign_key_check ok\./);
    // Sessions whose fractal was deleted in Flask keep their root id, now a recovered root.
    expect(q(`SELECT root_id FROM goals WHERE id = '562751f8-7f1e-482b-b76f-40c94b85b1d6'`)[0].root_id).toBe('e82684f8-6253-4457-89f6-8e068d74816f');
    expect(q(`SELECT count(*) AS n FROM goals WHERE id = root_id AND parent_id IS NULL`)[0].n).toBe(8);
  });

  it('loads every adopted row through the entities (valid dates, parseable JSON)', async () => {
    const ds = db.newDataSource();
    await ds.initialize();
    try {
      for (const entity of ENTITIES) {
        const repo = ds.getRepository(entity);
        const rows = await repo.find({ withDeleted: true } as never);
        for (const row of rows as Row[]) {
          for (const [k, v] of Object.entries(row)) {
            if (v instanceof Date) expect({ entity: repo.metadata.tableName, k, valid: !Number.isNaN(v.getTime()) }).toEqual({ entity: repo.metadata.tableName, k, valid: true });
          }
        }
      }
    } finally {
      await ds.destroy();
    }
  });

  it('builds the indexes after dropping the legacy tables, in the pages those leave free', () => {
    const steps = run.report!.steps.map((s) => s.step);
    expect(steps.indexOf('dropping legacy tables')).toBeLessThan(steps.indexOf('indexes'));
    // The legacy tables held 66 pages, fewer than the rebuilt indexes need: so hardly any page
    // stays free (59 did when the indexes were built before the drop).
    expect(source(`SELECT count(*) AS n FROM dbstat WHERE name <> 'sqlite_schema'`)[0].n).toBe(66);
    expect(q(`PRAGMA freelist_count`)[0].freelist_count).toBeLessThan(10);
  });

  it('ends at the fresh schema, and a second run is a no-op', async () => {
    expect(normalizedSchema(db.location)).toEqual(await freshMigratedSchema());
    const again = await migrate(db);
    expect(again.executed).toEqual([]);
    expect(again.lines.join('\n')).toContain('Nothing was changed');
  });

  it('hands the roots to LEGACY_OWNER_EMAIL, creating that account without a password', async () => {
    const other = await legacyDatabase(SHARED_FILE);
    process.env.LEGACY_OWNER_EMAIL = '  Will@Example.COM ';
    try {
      const r = await migrate(other);
      expect(r.report!.owner).toMatchObject({ email: 'will@example.com', created: true, placeholder: false, roots: 8 });
      const users = readAll(other.location, `SELECT * FROM users`);
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: 'will@example.com', password_hash: null, is_active: 1 });
      expect(readAll(other.location, `SELECT count(*) AS n FROM goals WHERE user_id = ?`, [users[0].id])[0].n).toBe(8);
      const printed = r.lines.join('\n');
      expect(printed).toContain('npm run user:set-password -- will@example.com');

      // What the report says to do works: the password through the real command, then a login that sees the 8 roots.
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: other.location, APP_ENV: 'development' };
      const set = spawnSync('npm', ['run', '--silent', 'user:set-password', '--', 'will@example.com'], {
        cwd: PROJECT, env, input: 'a long new passphrase\n', encoding: 'utf8', timeout: 60_000,
      });
      expect({ status: set.status, out: set.stdout.trim().split('\n').pop(), err: set.stderr }).toEqual({
        status: 0, out: 'will@example.com has a new password.', err: '',
      });
      const ds = other.newDataSource();
      await ds.initialize();
      const app = await createApp({ config: other.config, dataSource: ds });
      try {
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'will@example.com', password: 'a long new passphrase' } });
        expect(login.statusCode).toBe(200);
        const roots = await app.inject({ method: 'GET', url: '/api/roots', headers: { authorization: `Bearer ${login.json().accessToken}` } });
        expect(roots.statusCode).toBe(200);
        expect(roots.json().items).toHaveLength(8);
      } finally {
        await app.close();
        if (ds.isInitialized) await ds.destroy();
      }
    } finally {
      delete process.env.LEGACY_OWNER_EMAIL;
      await other.drop();
    }
  });

  it('runs through the real CLI: npm run migration:run, a report, progress lines, a backup, schema:log up to date; then nothing to do', () => {
    const dir = tempDir('fg-legacy-cli-');
    const file = path.join(dir, 'goals_dev.db');
    fs.copyFileSync(SHARED_FILE, file);
    fs.chmodSync(file, 0o644);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: file, BACKUP_DIR: path.join(dir, 'backups'), APP_ENV: 'development' };
    delete env.LEGACY_OWNER_EMAIL;
    try {
      const first = spawnSync('npm', ['run', '--silent', 'migration:run'], { cwd: PROJECT, env, encoding: 'utf8', timeout: 120_000 });
      expect({ status: first.status, err: first.status === 0 ? '' : first.stderr }).toEqual({ status: 0, err: '' });
      expect(first.stdout).toContain('Detected shape: 2');
      expect(first.stdout).toMatch(/metric_values\s+116\s+116\s+0\s+ok/);
      expect(first.stdout).toMatch(/Backup written: .*backups/);
      expect(first.stderr).toMatch(/^adopt: \d+% /m); // not a terminal: plain lines
      expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(1);
      // The entities match the adopted schema exactly.
      const log = spawnSync('npm', ['run', '--silent', 'schema:log'], { cwd: PROJECT, env, encoding: 'utf8', timeout: 120_000 });
      expect(log.stdout).toContain('Your schema is up to date');
      const second = spawnSync('npm', ['run', '--silent', 'migration:run'], { cwd: PROJECT, env, encoding: 'utf8', timeout: 120_000 });
      expect(second.status).toBe(0);
      expect(second.stdout).toContain('Nothing was changed');
      expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
