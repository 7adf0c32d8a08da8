import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { createEmptyDatabase, createMigratedDatabase, TestDatabase } from '../helpers/db';
import { legacyDatabase, readAll, SHARED_FILE } from './fixtures';
import { CHANGE_COUNTER, differingBytes, migrate, openedOnly } from './run';

/** A file the migration must refuse: it throws a clear message and leaves the file as it was. */
async function expectRefused(db: TestDatabase, message: RegExp): Promise<void> {
  const original = fs.readFileSync(db.location);
  await expect(migrate(db)).rejects.toThrow(message);
  const after = fs.readFileSync(db.location);
  const twin = await createEmptyDatabase();
  try {
    fs.writeFileSync(twin.location, original);
    // Exactly what merely opening the file does (nothing at all for a file that is not SQLite),
    // but for the change counter when the refusal came inside the run, after its journal switch.
    // A file refused before it is opened stays byte-identical to the original.
    const baseline = await openedOnly(twin).catch(() => original);
    expect(differingBytes(after, baseline).filter((i) => !CHANGE_COUNTER.includes(i))).toEqual([]);
    if (baseline === original) expect(after.equals(original)).toBe(true);
  } finally {
    await twin.drop();
  }
}

describe('files the adoption refuses, with a clear message and no change', () => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createEmptyDatabase();
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('a file that is not SQLite', async () => {
    const db = await fresh();
    fs.writeFileSync(db.location, 'id,name\n1,not a database\n');
    await expectRefused(db, /is not a SQLite database; nothing was changed/);
    expect(fs.existsSync(db.backupDir)).toBe(false);
  });

  it('a SQLite file of another application', async () => {
    const db = await fresh();
    const raw = new Database(db.location);
    raw.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')`);
    raw.close();
    await expectRefused(db, /not a Fractal Goals database/);
  });

  it('another application whose file happens to have a goals table', async () => {
    const db = await fresh();
    const raw = new Database(db.location);
    raw.exec(`CREATE TABLE goals (goal_key INTEGER PRIMARY KEY, title TEXT); INSERT INTO goals (title) VALUES ('x')`);
    raw.close();
    await expectRefused(db, /goals table that is not the Flask app's/);
  });

  it('a Flask-era file with tables no version of the Flask app had', async () => {
    const db = await legacyDatabase(SHARED_FILE);
    dbs.push(db);
    const raw = new Database(db.location);
    raw.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY)`);
    raw.close();
    await expectRefused(db, /not Fractal Goals tables \(invoices\)/);
  });

  it('a file migrated by a newer version of this code', async () => {
    const db = await createMigratedDatabase();
    dbs.push(db);
    await db.dataSource.destroy();
    const raw = new Database(db.location);
    raw.prepare(`INSERT INTO migrations (timestamp, name) VALUES (?, ?)`).run(1900000000000, 'FromTheFuture1900000000000');
    raw.close();
    await expectRefused(db, /migrated by a newer version \(unknown migrations: FromTheFuture1900000000000\)/);
  });

  it('an invalid LEGACY_OWNER_EMAIL stops the adoption before anything is kept', async () => {
    const db = await legacyDatabase(SHARED_FILE);
    dbs.push(db);
    process.env.LEGACY_OWNER_EMAIL = 'not an email';
    try {
      await expectRefused(db, /LEGACY_OWNER_EMAIL is not an email address/);
    } finally {
      delete process.env.LEGACY_OWNER_EMAIL;
    }
    expect(readAll(db.location, `SELECT count(*) AS n FROM goals`)[0].n).toBe(45);
  });
});
