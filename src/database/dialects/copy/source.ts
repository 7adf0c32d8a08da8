import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../../../migrations';
import { assertSqliteFile } from '../sqlite-migrations';
import { CopyRefused } from './report';

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function sqliteTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

export function sqliteColumns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[]).map((c) => c.name);
}

export function sqliteCount(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
}

/** The source, read-only, once it is known to be a SQLite file migrated by exactly this code. */
export function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new CopyRefused(`${file} does not exist.`);
  try {
    assertSqliteFile(file);
  } catch (err) {
    throw new CopyRefused((err as Error).message.replace('; nothing was changed.', '.'));
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(false);
  const tables = new Set(sqliteTables(db));
  const expected = MIGRATIONS.map((m) => new m().name as string);
  const applied = tables.has('migrations')
    ? (db.prepare(`SELECT name FROM migrations ORDER BY id`).all() as { name: string }[]).map((r) => r.name)
    : [];
  const missing = expected.filter((n) => !applied.includes(n));
  const unknown = applied.filter((n) => !expected.includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    db.close();
    const how = missing.length
      ? `it is not migrated to the current schema (pending: ${missing.join(', ')}). Migrate it first: DATABASE_PATH=${file} npm run migration:run`
      : `it was migrated by a newer version (unknown: ${unknown.join(', ')})`;
    throw new CopyRefused(`${file} cannot be copied: ${how}.`);
  }
  return db;
}
