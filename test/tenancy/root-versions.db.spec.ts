import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createMigratedDatabase, describeDb, ENGINE, pgUrlFor } from '../helpers/db';
import { isPostgres, sql } from '../foundation/helpers';
import { SeededIds, seedTenant } from '../helpers/seed';

/**
 * Migration RootVersions: every write to a root's rows gives the root a new version token, in
 * the writing transaction, whoever writes (src/tenancy/root-answers.ts keeps answers while it holds).
 */
describeDb('root versions: every write to a root gives it a new token', () => {
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let a: SeededIds;
  let b: SeededIds;
  const userId = randomUUID();
  const token = async (root: string): Promise<string | undefined> =>
    (await sql<{ version: string }>(db.dataSource, `SELECT version FROM root_versions WHERE root_id = ?`, [root]))[0]?.version;
  const tablesWithRoot = async (): Promise<string[]> => {
    const ds = db.dataSource;
    const rows: { t: string }[] = isPostgres(ds)
      ? await ds.query(`SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'root_id'`)
      : await ds.query(`SELECT m.name AS t FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'root_id')`);
    return rows.map((r) => r.t).filter((t) => t !== 'root_versions').sort();
  };

  beforeAll(async () => {
    db = await createMigratedDatabase();
    await db.dataSource.getRepository('User').insert({ id: userId, email: `versions-${userId}@example.com` });
    a = await seedTenant(db.dataSource, userId, randomUUID(), 'A');
    b = await seedTenant(db.dataSource, userId, randomUUID(), 'B');
  });
  afterAll(async () => db?.drop());

  it('every table with a root_id has a trigger for each kind of write', async () => {
    const ds = db.dataSource;
    const triggers: { t: string; name: string }[] = isPostgres(ds)
      ? await ds.query(`SELECT c.relname AS t, g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE NOT g.tgisinternal`)
      : await ds.query(`SELECT tbl_name AS t, name FROM sqlite_master WHERE type = 'trigger'`);
    const tables = await tablesWithRoot();
    expect(tables.length).toBeGreaterThanOrEqual(27);
    const missing = tables.flatMap((t) =>
      ['insert', 'update', 'delete'].map((op) => `trg_${t}_root_version_${op}`).filter((name) => !triggers.some((g) => g.t === t && g.name === name)),
    );
    expect(missing).toEqual([]);
  });

  it("an update of a row of any table gives its root a new token, and leaves other roots' alone", async () => {
    const tables = await tablesWithRoot();
    const seeded = tables.filter((t) => a[t]);
    // seedTenant writes a row in every tenant table: each one is updated here.
    expect(seeded).toEqual(tables);
    for (const table of seeded) {
      const [beforeA, beforeB] = [await token(a.root), await token(b.root)];
      await sql(db.dataSource, `UPDATE "${table}" SET updated_at = updated_at WHERE id = ?`, [a[table]]);
      expect({ table, changed: (await token(a.root)) !== beforeA, other: await token(b.root) }).toEqual({ table, changed: true, other: beforeB });
    }
  });

  it('an insert, a soft delete and a delete each give a new token', async () => {
    const seen = new Set([await token(a.root)]);
    const step = async (text: string, params: unknown[]) => {
      await sql(db.dataSource, text, params);
      const now = await token(a.root);
      expect(seen.has(now)).toBe(false);
      seen.add(now);
    };
    const note = randomUUID();
    await step(`INSERT INTO notes (id, root_id, content, about_type, about_id) VALUES (?, ?, 'x', 'root', ?)`, [note, a.root, a.root]);
    await step(`UPDATE notes SET deleted_at = created_at, deletion_id = id WHERE id = ?`, [note]);
    await step(`DELETE FROM notes WHERE id = ?`, [note]);
    expect(seen.size).toBe(4);
  });

  it('a write that rolls back leaves the token as it was', async () => {
    const before = await token(a.root);
    const qr = db.dataSource.createQueryRunner();
    await qr.startTransaction();
    try {
      await qr.query(isPostgres(db.dataSource) ? `UPDATE goals SET updated_at = updated_at WHERE id = $1` : `UPDATE goals SET updated_at = updated_at WHERE id = ?`, [a.goals]);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    expect(await token(a.root)).toBe(before);
  });

  it('a new root gets a token with its first row, and loses it when its root goal is deleted', async () => {
    const root = randomUUID();
    expect(await token(root)).toBeUndefined();
    await db.dataSource.getRepository('Goal').insert({ id: root, rootId: root, userId, type: 'UltimateGoal', name: 'Short-lived' });
    expect(await token(root)).toEqual(expect.any(String));
    await sql(db.dataSource, `DELETE FROM goals WHERE id = ?`, [root]);
    expect(await token(root)).toBeUndefined();
  });

  (ENGINE === 'postgres' ? it : it.skip)('PostgreSQL: two writes of one root that lock rows in another order wait their turn, without a deadlock', async () => {
    const [one, two] = [new Client({ connectionString: pgUrlFor(db.location) }), new Client({ connectionString: pgUrlFor(db.location) })];
    await one.connect();
    await two.connect();
    try {
      const before = await token(a.root);
      const touch = (c: Client, id: string) => c.query(`UPDATE goals SET updated_at = updated_at WHERE id = $1`, [id]);
      await one.query('BEGIN');
      await two.query('BEGIN');
      await touch(one, a.goals);
      await touch(two, a.shortTermGoal);
      // one waits for two's row; two commits, taking the root's token row only now.
      const waiting = touch(one, a.shortTermGoal);
      await two.query('COMMIT');
      await waiting;
      await one.query('COMMIT');
      expect(await token(a.root)).not.toBe(before);
    } finally {
      await one.end();
      await two.end();
    }
  });

  (ENGINE === 'postgres' ? it : it.skip)('PostgreSQL: the service role reads its own root’s token only, and writes none', async () => {
    const url = new URL(pgUrlFor(db.location));
    url.username = 'fractal_app';
    const app = new Client({ connectionString: url.toString() });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.root_id', $1, true), set_config('app.user_id', $2, true)`, [a.root, userId]);
      const { rows } = await app.query(`SELECT root_id FROM root_versions`);
      expect(rows).toEqual([{ root_id: a.root }]);
      // Its writes to the root's rows move the token all the same (the trigger function is the
      // owner's), at the commit: the triggers are deferred, and SET CONSTRAINTS runs them now.
      const now = async () => (await app.query(`SELECT version FROM root_versions`)).rows[0].version;
      const before = await now();
      await app.query(`UPDATE goals SET updated_at = updated_at WHERE id = $1`, [a.goals]);
      expect(await now()).toBe(before);
      await app.query('SET CONSTRAINTS ALL IMMEDIATE');
      expect(await now()).not.toBe(before);
      await expect(app.query(`UPDATE root_versions SET version = 'forged'`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.query('ROLLBACK').catch(() => undefined);
      await app.end();
    }
  });
});
