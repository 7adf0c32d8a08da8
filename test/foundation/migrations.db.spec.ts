import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { migrationStatus } from '../../src/database/safe-migrations';
import { createEmptyDatabase, createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';
import { seedRoot } from '../helpers/seed';
import { isPostgres, rowCounts, schemaSnapshot, semanticSchema, tableContents, userTables } from './helpers';

type MigrationClass = new () => MigrationInterface;
/** The project's migrations, by name, in order. */
const CURRENT = MIGRATIONS.map((m) => new m().name as string);

function named(name: string, up: (qr: QueryRunner) => Promise<void>, down: (qr: QueryRunner) => Promise<void> = async () => undefined): MigrationClass {
  return class implements MigrationInterface {
    name = name;
    up = up;
    down = down;
  };
}

/** A test-only migration that changes a lot (tables, columns, rows, indexes) and then fails. */
const FailsHalfway = named('FailsHalfway1900000000001', async (qr) => {
  await qr.createTable(new Table({ name: 'halfway_extra', columns: [{ name: 'id', type: 'integer', isPrimary: true }] }));
  await qr.query(`INSERT INTO halfway_extra (id) VALUES (1)`);
  await qr.addColumn('goals', new TableColumn({ name: 'halfway_flag', type: 'integer', isNullable: true }));
  await qr.query(`UPDATE goals SET name = 'changed by a failing migration'`);
  await qr.query(`DELETE FROM metric_values`);
  await qr.query(`INSERT INTO activity_groups (id, root_id, name) SELECT replace(id, '-', 'x'), root_id, 'extra' FROM activity_groups`);
  await qr.dropIndex('goals', 'idx_goals_type');
  throw new Error('test-only failure halfway through a migration');
});

/** A test-only migration that creates a table: to show that it is rolled back with the rest. */
const CreatesTable = named(
  'CreatesTable1900000000002',
  async (qr) => qr.createTable(new Table({ name: 'created_then_rolled_back', columns: [{ name: 'id', type: 'integer', isPrimary: true }] })),
  async (qr) => qr.dropTable('created_then_rolled_back'),
);

const Fails = named('Fails1900000000003', async () => {
  throw new Error('test-only failure');
});

/** Adds a column; its dry run must print the SQL and change nothing. */
const AddsColumn = named(
  'AddsColumn1900000000004',
  async (qr) => qr.addColumn('activity_groups', new TableColumn({ name: 'color', type: 'varchar', length: '16', isNullable: true })),
  async (qr) => qr.dropColumn('activity_groups', 'color'),
);

/** A new tenant table that forgets its root-version triggers (migrations/lib/root-versions.ts). */
const ForgetsRootVersions = named('ForgetsRootVersions1900000000007', async (qr) =>
  qr.createTable(new Table({ name: 'untracked_things', columns: [{ name: 'id', type: 'varchar', length: '36', isPrimary: true }, { name: 'root_id', type: 'varchar', length: '36' }] })),
);

/** Writes a row whose foreign key points nowhere (SQLite's keys are off during migrations). */
const BreaksForeignKeys = named('BreaksForeignKeys1900000000005', async (qr) => {
  await qr.query(
    `INSERT INTO activity_groups (id, root_id, name) VALUES ('00000000-0000-4000-8000-00000000dead', '00000000-0000-4000-8000-000000000000', 'orphan')`,
  );
});

/** SQLite rebuilds the goals table for this; with foreign keys on, that would cascade-delete every child row. */
const RebuildsGoals = named(
  'RebuildsGoals1900000000006',
  async (qr) => {
    const goals = (await qr.getTable('goals'))!;
    const old = goals.findColumnByName('description')!;
    await qr.changeColumn(goals, old, new TableColumn({ name: 'description', type: 'varchar', length: '4000', isNullable: true }));
  },
  async (qr) => {
    const goals = (await qr.getTable('goals'))!;
    const old = goals.findColumnByName('description')!;
    await qr.changeColumn(goals, old, new TableColumn({ name: 'description', type: 'text', isNullable: true }));
  },
);

function dataSourceWith(db: TestDatabase, migrations: MigrationClass[], dryRun = false): SafeDataSource {
  const ds = new SafeDataSource({ ...dataSourceOptions(db.config), migrations } as ConstructorParameters<typeof SafeDataSource>[0]);
  ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined, dryRun };
  return ds;
}

async function withDataSource<T>(db: TestDatabase, migrations: MigrationClass[], fn: (ds: SafeDataSource) => Promise<T>, dryRun = false): Promise<T> {
  const ds = dataSourceWith(db, migrations, dryRun);
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

async function appliedNames(ds: SafeDataSource): Promise<string[]> {
  return (await migrationStatus(ds)).filter((m) => m.applied).map((m) => m.name);
}

describeDb(`migrations (${ENGINE})`, () => {
  // TypeORM and the migrations report to the console; these tests read results instead.
  beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  describe.each(MIGRATIONS.map((m, i) => [new m().name ?? m.name, i] as [string, number]))('%s', (_name, index) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createEmptyDatabase();
    });
    afterAll(async () => db?.drop());

    it('up, down and up again: down restores the previous schema, the second up the same schema as the first', async () => {
      const upTo = MIGRATIONS.slice(0, index + 1) as MigrationClass[];
      await withDataSource(db, upTo.slice(0, index), async (ds) => ds.runMigrations());
      await withDataSource(db, upTo, async (ds) => {
        const before = await schemaSnapshot(ds, ['migrations']);
        await ds.runMigrations();
        const afterUp = await schemaSnapshot(ds, ['migrations']);
        expect(await appliedNames(ds)).toEqual(upTo.map((m) => new m().name));

        // With every migration applied, the schema is the one the entities describe (earlier
        // prefixes may lack what a later migration adds).
        const last = index === MIGRATIONS.length - 1;
        if (last) expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);

        await ds.undoLastMigration();
        expect(await schemaSnapshot(ds, ['migrations'])).toEqual(before);
        expect(await appliedNames(ds)).toEqual(upTo.slice(0, index).map((m) => new m().name));

        await ds.runMigrations();
        expect(await schemaSnapshot(ds, ['migrations'])).toEqual(afterUp);
        if (last) expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      });
    });
  });

  describe('on an empty database', () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createEmptyDatabase();
    });
    afterEach(async () => db?.drop());

    it('all pending migrations run in one transaction: a failure in the last rolls back the first', async () => {
      await withDataSource(db, [...MIGRATIONS, CreatesTable, Fails], async (ds) => {
        expect(await appliedNames(ds)).toEqual([]);
        await expect(ds.runMigrations()).rejects.toThrow('test-only failure');
        expect(await userTables(ds)).toEqual([]);
        expect(await appliedNames(ds)).toEqual([]);
      });
      // Nothing existed, so there was nothing to back up.
      expect(fs.existsSync(db.backupDir) ? fs.readdirSync(db.backupDir) : []).toEqual([]);
    });

    it('a dry run prints the SQL and creates nothing', async () => {
      const lines: string[] = [];
      await withDataSource(
        db,
        [...MIGRATIONS],
        async (ds) => {
          ds.safeRunOptions.log = (line) => lines.push(line);
          await ds.runMigrations();
          expect(await userTables(ds)).toEqual([]);
        },
        true,
      );
      expect(lines.join('\n')).toMatch(/CREATE TABLE "goals"/);
      expect(lines.join('\n')).toMatch(new RegExp(`Dry run: ${MIGRATIONS.length} migration\\(s\\) would run .*nothing was changed`));
    });
  });

  describe('on a migrated database with data', () => {
    let db: TestDatabase & { dataSource: SafeDataSource };
    let schema: string[];
    let contents: Record<string, unknown[]>;

    beforeAll(async () => {
      db = await createMigratedDatabase();
      await seedRoot(db.dataSource, 'Ann');
      await seedRoot(db.dataSource, 'Ben');
      await db.dataSource.destroy();
    });
    afterAll(async () => db?.drop());

    /** Each test starts from the state the previous one left. */
    beforeEach(async () => {
      const ds = db.newDataSource();
      await ds.initialize();
      schema = await schemaSnapshot(ds);
      contents = await tableContents(ds);
      await ds.destroy();
    });

    /** The exact schema text (sqlite_master on SQLite) and every row, as they were. */
    const unchanged = async (ds: SafeDataSource) => {
      expect(await schemaSnapshot(ds)).toEqual(schema);
      expect(await tableContents(ds)).toEqual(contents);
    };

    it('migration:show lists what is pending, and writes nothing', async () => {
      await withDataSource(db, [...MIGRATIONS, AddsColumn], async (ds) => {
        const lines: string[] = [];
        ds.safeRunOptions.log = (line) => lines.push(line);
        expect(await ds.showMigrations()).toBe(true);
        expect(lines).toEqual([...CURRENT.map((n) => `[X] ${n}`), '[ ] AddsColumn1900000000004', '1 migration(s) pending.']);
        await unchanged(ds);
      });
    });

    it('a migration that fails halfway leaves the schema and every row as they were, and a backup exists', async () => {
      const backupsBefore = fs.existsSync(db.backupDir) ? fs.readdirSync(db.backupDir) : [];
      const counts = await withDataSource(db, [...MIGRATIONS, FailsHalfway], async (ds) => {
        const counts = await rowCounts(ds);
        await expect(ds.runMigrations()).rejects.toThrow('test-only failure halfway');
        await unchanged(ds);
        expect(await rowCounts(ds)).toEqual(counts);
        return counts;
      });
      if (!isPostgres(db.newDataSource())) {
        const created = fs.readdirSync(db.backupDir).filter((f) => !backupsBefore.includes(f));
        expect(created).toHaveLength(1);
        expect(created[0]).toMatch(/^goals\.\d{8}T\d{6}Z(\.\d+)?\.db$/);
        const backup = new Database(path.join(db.backupDir, created[0]), { readonly: true });
        try {
          for (const [table, n] of Object.entries(counts)) {
            expect({ table, n: (backup.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n }).toEqual({ table, n });
          }
        } finally {
          backup.close();
        }
      }
    });

    it('a dry run prints the SQL, then changes nothing', async () => {
      const lines: string[] = [];
      await withDataSource(
        db,
        [...MIGRATIONS, AddsColumn],
        async (ds) => {
          ds.safeRunOptions.log = (line) => lines.push(line);
          const result = await ds.runMigrations();
          expect(result.map((m) => m.name)).toEqual(['AddsColumn1900000000004']);
          await unchanged(ds);
          expect(await appliedNames(ds)).toEqual(CURRENT);
        },
        true,
      );
      expect(lines.join('\n')).toMatch(/ALTER TABLE "activity_groups"|CREATE TABLE "temporary_activity_groups"/);
    });

    it('a second run says nothing is pending and changes nothing', async () => {
      await withDataSource(db, [...MIGRATIONS], async (ds) => {
        const lines: string[] = [];
        ds.safeRunOptions.log = (line) => lines.push(line);
        const backupsBefore = fs.existsSync(db.backupDir) ? fs.readdirSync(db.backupDir).length : 0;
        expect(await ds.runMigrations()).toEqual([]);
        expect(lines).toEqual(['No migrations are pending: the database is at the current schema. Nothing was changed.']);
        await unchanged(ds);
        expect(fs.existsSync(db.backupDir) ? fs.readdirSync(db.backupDir).length : 0).toBe(backupsBefore);
      });
    });

    it('a new migration runs, and migration:revert undoes exactly it', async () => {
      await withDataSource(db, [...MIGRATIONS, AddsColumn], async (ds) => {
        const semantic = await semanticSchema(ds);
        await ds.runMigrations();
        expect(await appliedNames(ds)).toEqual([...CURRENT, 'AddsColumn1900000000004']);
        expect(await schemaSnapshot(ds)).not.toEqual(schema);
        // SQLite rebuilt the table for the column, and its triggers with it: the runner put them back.
        const triggers = isPostgres(ds)
          ? await ds.query(`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'activity_groups'::regclass AND NOT tgisinternal`)
          : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'activity_groups'`);
        expect(triggers.map((t: { name: string }) => t.name).sort()).toEqual(['insert', 'update', 'delete'].map((op) => `trg_activity_groups_root_version_${op}`).sort());
        await ds.undoLastMigration();
        expect(await appliedNames(ds)).toEqual(CURRENT);
        expect(await semanticSchema(ds)).toEqual(semantic);
        expect(await tableContents(ds)).toEqual(contents);
      });
    });

    it('refuses, rolling back, a run that leaves a table with a root_id without the triggers of its roots’ versions', async () => {
      await withDataSource(db, [...MIGRATIONS, ForgetsRootVersions], async (ds) => {
        await expect(ds.runMigrations()).rejects.toThrow(/untracked_things\S* .*lack the triggers|lack the triggers.*untracked_things/);
        expect(await userTables(ds)).not.toContain('untracked_things');
        expect(await appliedNames(ds)).toEqual(CURRENT);
      });
    });

    it('a table that a migration created without an entity does not block the next run', async () => {
      await withDataSource(db, [...MIGRATIONS, CreatesTable], async (ds) => ds.runMigrations());
      await withDataSource(db, [...MIGRATIONS, CreatesTable, AddsColumn], async (ds) => {
        expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['AddsColumn1900000000004']);
        await ds.undoLastMigration();
      });
      await withDataSource(db, [...MIGRATIONS, CreatesTable], async (ds) => {
        await ds.undoLastMigration();
        expect(await userTables(ds)).not.toContain('created_then_rolled_back');
      });
    });

    if (ENGINE === 'sqlite') {
      it('refuses, changing nothing, a database that records a migration this code does not know', async () => {
        await withDataSource(db, [...MIGRATIONS, AddsColumn], async (ds) => ds.runMigrations());
        await withDataSource(db, [...MIGRATIONS], async (ds) => {
          const before = await schemaSnapshot(ds);
          await expect(ds.runMigrations()).rejects.toThrow(/migrated by a newer version \(unknown migrations: AddsColumn1900000000004\)/);
          await expect(ds.undoLastMigration()).rejects.toThrow(/newer version/);
          expect(await schemaSnapshot(ds)).toEqual(before);
        });
        await withDataSource(db, [...MIGRATIONS, AddsColumn], async (ds) => ds.undoLastMigration());
      });

      it('refuses, changing nothing, another application\'s SQLite file', async () => {
        const other = path.join(path.dirname(db.backupDir), 'other-app.db');
        const raw = new Database(other);
        raw.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');`);
        raw.close();
        const before = fs.readFileSync(other);
        const ds = new SafeDataSource({ ...dataSourceOptions({ ...db.config, database: { engine: 'sqlite', location: other, display: other } }) } as ConstructorParameters<typeof SafeDataSource>[0]);
        ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined };
        // Refused before the file is opened for writing: even its journal mode stays as it was.
        await expect(ds.initialize()).rejects.toThrow(/not a Fractal Goals database \(no goals table; found: customers\)/);
        expect(ds.isInitialized).toBe(false);
        expect(fs.readFileSync(other).equals(before)).toBe(true);
      });

      it('a migration that leaves a broken foreign key fails foreign_key_check and is rolled back', async () => {
        await withDataSource(db, [...MIGRATIONS, BreaksForeignKeys], async (ds) => {
          await expect(ds.runMigrations()).rejects.toThrow(/foreign_key_check failed/);
          await unchanged(ds);
          expect((await ds.query('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
        });
      });

      it('runs with a rollback journal and leaves the file in WAL mode, with its page cache as before', async () => {
        await withDataSource(db, [...MIGRATIONS, CreatesTable], async (ds) => {
          const cache = (await ds.query('PRAGMA cache_size'))[0].cache_size;
          const lines: string[] = [];
          ds.safeRunOptions.log = (line) => lines.push(line);
          await ds.runMigrations();
          expect(lines.join('\n')).not.toMatch(/Keeping the WAL/);
          expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
          expect((await ds.query('PRAGMA cache_size'))[0].cache_size).toBe(cache);
          expect((await ds.query('PRAGMA mmap_size'))[0].mmap_size).toBe(0);
          await ds.undoLastMigration();
        });
        expect(fs.readFileSync(db.location).subarray(18, 20)).toEqual(Buffer.from([2, 2]));
      });

      it('keeps the WAL, and still migrates, while another connection holds the file', async () => {
        const other = new Database(db.location);
        try {
          other.prepare('SELECT count(*) FROM goals').get();
          await withDataSource(db, [...MIGRATIONS, CreatesTable], async (ds) => {
            const lines: string[] = [];
            ds.safeRunOptions.log = (line) => lines.push(line);
            await ds.runMigrations();
            expect(lines.join('\n')).toMatch(/Keeping the WAL for this run/);
            expect(await appliedNames(ds)).toContain(new CreatesTable().name ?? CreatesTable.name);
            expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
            await ds.undoLastMigration();
          });
        } finally {
          other.close();
        }
      });

      it('rebuilding the goals table cascade-deletes nothing (foreign keys are off around the transaction)', async () => {
        await withDataSource(db, [...MIGRATIONS, RebuildsGoals], async (ds) => {
          const semantic = await semanticSchema(ds);
          const counts = await rowCounts(ds);
          const lines: string[] = [];
          ds.safeRunOptions.log = (line) => lines.push(line);
          await ds.runMigrations();
          expect(lines.join('\n')).toMatch(/CREATE TABLE "temporary_goals"|Applied: RebuildsGoals/);
          expect(await rowCounts(ds)).toEqual({ ...counts, migrations: counts.migrations + 1 });
          expect(await tableContents(ds)).toEqual({ ...contents, migrations: expect.any(Array) });
          await ds.undoLastMigration();
          expect(await semanticSchema(ds)).toEqual(semantic);
          expect(await tableContents(ds)).toEqual(contents);
        });
      });
    }
  });
});
