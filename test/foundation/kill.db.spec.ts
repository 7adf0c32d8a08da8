import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SafeDataSource } from '../../src/database/data-source';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';
import { seedRoot } from '../helpers/seed';
import { cleanEnv, PROJECT_ROOT, schemaSnapshot, tableContents, tsNodeArgs, waitForOutput } from './helpers';

describeDb(`a migration killed with SIGKILL (${ENGINE})`, () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    db = await createMigratedDatabase();
  });
  afterAll(async () => db?.drop());

  it('leaves the database at its old schema and data, passing integrity_check', async () => {
    await seedRoot(db.dataSource, 'Kim');
    const schema = await schemaSnapshot(db.dataSource);
    const contents = await tableContents(db.dataSource);
    await db.dataSource.destroy();
    const sizeBefore = ENGINE === 'sqlite' ? fs.statSync(db.location).size : 0;

    const target = ENGINE === 'postgres' ? { DB_ENGINE: 'postgres', DATABASE_URL: db.config.database.location } : { DATABASE_PATH: db.location };
    const child = spawn(process.execPath, tsNodeArgs(path.join(__dirname, 'fixtures', 'slow-migration.ts')), {
      cwd: PROJECT_ROOT,
      env: cleanEnv({ APP_ENV: 'test', BACKUP_DIR: db.backupDir, ...target }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let output: string;
    let journalBytes = 0;
    try {
      output = await waitForOutput(child, /MIGRATION_STARTED/);
      // The run uses a rollback journal, which holds the original pages of what it overwrote.
      if (ENGINE === 'sqlite') journalBytes = fs.statSync(`${db.location}-journal`).size;
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    if (ENGINE === 'sqlite') {
      // The transaction had written more than SQLite's page cache: uncommitted pages were in the
      // file, and the hot journal beside it is what the next open rolls back.
      expect(journalBytes).toBeGreaterThan(0);
      expect(fs.statSync(db.location).size).toBeGreaterThan(4 * 1024 * 1024 + sizeBefore);
      expect(output).toMatch(/Backup written: /);
    }

    if (ENGINE === 'sqlite') {
      const raw = new Database(db.location);
      try {
        expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        expect(raw.pragma('foreign_key_check')).toEqual([]);
      } finally {
        raw.close();
      }
      expect(fs.readdirSync(db.backupDir).filter((f) => f.endsWith('.db'))).toHaveLength(1);
    }
    const after = db.newDataSource();
    await after.initialize();
    try {
      expect(await schemaSnapshot(after)).toEqual(schema);
      expect(await tableContents(after)).toEqual(contents);
    } finally {
      await after.destroy();
    }
  });
});
