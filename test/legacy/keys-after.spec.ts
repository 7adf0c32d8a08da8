import Database from 'better-sqlite3';
import { fillThenKey } from '../../migrations/lib/legacy/keys-after';

const DECLARATION = `CREATE TABLE "t" ("id" varchar(36) PRIMARY KEY NOT NULL, "root_id" varchar(36) NOT NULL, "n" integer, "note" text, ` +
  `CONSTRAINT "uq_t_root_id" UNIQUE ("root_id", "id"), CONSTRAINT "ck_t_n" CHECK (n >= 0))`;

function open(declaration = DECLARATION): { db: Database.Database; sql: (text: string, params?: unknown[]) => Promise<any[]> } {
  const db = new Database(':memory:');
  db.exec(declaration);
  const sql = async (text: string, params: unknown[] = []) => {
    const stmt = db.prepare(text);
    if (stmt.reader) return stmt.all(...params);
    stmt.run(...params);
    return [];
  };
  return { db, sql };
}

const schema = (db: Database.Database) =>
  db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name`).all();

const fill = (sql: (text: string) => Promise<unknown>, rows: string) => async (target: string) => {
  await sql(`INSERT INTO "${target}" (id, root_id, n, note) VALUES ${rows}`);
};

describe('fillThenKey: keys built after the fill', () => {
  it('ends with the same declaration, autoindexes and rows as a direct fill, and passes integrity_check', async () => {
    const rows = `('b', 'r1', 1, 'x'), ('a', 'r1', 2, NULL), ('c', 'r2', 0, '{"k":1}'), ('0', 'r2', NULL, 'é')`;
    const direct = open();
    await fill(direct.sql, rows)('t');
    const keyed = open();
    keyed.db.exec('BEGIN');
    await fillThenKey(keyed.sql, keyed.db, 't', ['id', 'root_id', 'n', 'note'], fill(keyed.sql, rows));
    keyed.db.exec('COMMIT');

    expect(schema(keyed.db).map((r: any) => ({ ...r }))).toEqual(schema(direct.db));
    expect(keyed.db.prepare('SELECT rowid, * FROM t ORDER BY rowid').all()).toEqual(direct.db.prepare('SELECT rowid, * FROM t ORDER BY rowid').all());
    expect(keyed.db.pragma('index_list(t)')).toEqual(direct.db.pragma('index_list(t)'));
    expect(keyed.db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // The keys are the table's own again: they refuse a duplicate as a direct fill would.
    expect(() => keyed.db.exec(`INSERT INTO t (id, root_id) VALUES ('a', 'r9')`)).toThrow(/UNIQUE constraint failed: t\.id/);
    // Defensive mode is back on: sqlite_master cannot be written any more.
    expect(keyed.db.pragma('writable_schema', { simple: true })).toBe(0);
    keyed.db.pragma('writable_schema = ON');
    expect(() => keyed.db.exec(`UPDATE sqlite_master SET sql = sql WHERE name = 't'`)).toThrow(/may not be modified/);
  });

  it('fails on a duplicate key, naming the table, and the rollback leaves the schema as it was', async () => {
    const { db, sql } = open();
    const before = schema(db);
    db.exec('BEGIN');
    await expect(fillThenKey(sql, db, 't', ['id', 'root_id', 'n', 'note'], fill(sql, `('a', 'r1', 1, NULL), ('a', 'r2', 1, NULL)`)))
      .rejects.toThrow(/^t: UNIQUE constraint failed: t\.id/);
    db.exec('ROLLBACK');
    expect(schema(db)).toEqual(before);
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('leaves NOT NULL and CHECK to integrity_check, which finds a row that breaks them', async () => {
    const { db, sql } = open();
    db.exec('BEGIN');
    await fillThenKey(sql, db, 't', ['id', 'root_id', 'n', 'note'], fill(sql, `('a', NULL, -1, NULL)`));
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
    expect(problems).toMatch(/NULL value in t\.root_id/);
    expect(problems).toMatch(/CHECK constraint failed in t/);
    db.exec('ROLLBACK');
  });

  it('refuses a table that is not empty, has an index of its own, or a default the fill does not name', async () => {
    const cols = ['id', 'root_id', 'n', 'note'];
    const a = open();
    a.db.exec(`INSERT INTO t (id, root_id) VALUES ('a', 'r')`);
    await expect(fillThenKey(a.sql, a.db, 't', cols, async () => undefined)).rejects.toThrow(/not empty/);
    const b = open();
    b.db.exec(`CREATE INDEX t_n ON t (n)`);
    await expect(fillThenKey(b.sql, b.db, 't', cols, async () => undefined)).rejects.toThrow(/t_n/);
    const c = open(`CREATE TABLE u (id text PRIMARY KEY, n integer NOT NULL DEFAULT 0)`);
    await expect(fillThenKey(c.sql, c.db, 'u', ['id'], async () => undefined)).rejects.toThrow(/must name n/);
  });
});
