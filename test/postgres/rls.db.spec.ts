import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { RLS_TENANT_TABLES, RowLevelSecurity1767225600010 } from '../../migrations/1767225600010-RowLevelSecurity';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { createEmptyDatabase, createMigratedDatabase, describeDb, ENGINE, pgUrlFor, TestDatabase } from '../helpers/db';
import { insertSql, Tenant, tenantRows, TENANT_TABLES } from './fixtures';

/** Row-level security exists on PostgreSQL only; on SQLite the migration is a no-op. */
const describePg = ENGINE === 'postgres' ? describeDb : describe.skip;

const APP_ROLE = 'fractal_app';

function urlAs(database: string, user: string): string {
  const url = new URL(pgUrlFor(database));
  url.username = user;
  return url.toString();
}

describePg('row-level security: the second wall (PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Client;
  let app: Client;
  let a: Tenant;
  let b: Tenant;
  const adminId = randomUUID();

  /** Every tenant row of one root, as the owner sees it (the owner is a superuser here: no RLS). */
  async function snapshot(rootId: string): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of TENANT_TABLES) {
      const { rows } = await owner.query(`SELECT * FROM "${table}" WHERE root_id = $1 ORDER BY id`, [rootId]);
      out[table] = rows;
    }
    return out;
  }

  async function scoped<R>(rootId: string, userId: string, fn: () => Promise<R>): Promise<R> {
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.root_id', $1, true), set_config('app.user_id', $2, true)`, [rootId, userId]);
      return await fn();
    } finally {
      await app.query('ROLLBACK');
    }
  }

  beforeAll(async () => {
    db = await createMigratedDatabase();
    owner = new Client({ connectionString: pgUrlFor(db.location) });
    await owner.connect();
    a = tenantRows('A', `a-${randomUUID()}@example.com`);
    b = tenantRows('B', `b-${randomUUID()}@example.com`);
    await owner.query(`INSERT INTO users (id, email, role) VALUES ($1, $2, 'admin')`, [adminId, `admin-${adminId}@example.com`]);
    for (const row of [...a.rows, ...b.rows]) {
      const { sql, params } = insertSql('postgres', row);
      await owner.query(sql, params);
    }
    app = new Client({ connectionString: urlAs(db.location, APP_ROLE) });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await db?.drop();
  });

  it('the service role is a plain login role: no superuser, no BYPASSRLS, owns nothing, may not change the schema', async () => {
    const { rows } = await owner.query(
      `SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true }]);
    const owned = await owner.query(
      `SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [APP_ROLE],
    );
    expect(owned.rows).toEqual([]);
    await expect(app.query('CREATE TABLE sneaky (id int)')).rejects.toThrow(/permission denied/);
    await expect(app.query('ALTER TABLE goals DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(app.query('ALTER TABLE goals NO FORCE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(app.query(`INSERT INTO fg_rls_bypass (txid) VALUES (txid_current())`)).rejects.toThrow(/permission denied/);
  });

  it('every tenant table has ENABLE and FORCE ROW LEVEL SECURITY with the root policy', async () => {
    const { rows } = await owner.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT qual FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'fg_tenant') AS qual
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM information_schema.columns col
                       WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'root_id')
        ORDER BY 1`,
    );
    // root_versions: the service reads its root's token and writes none (migrations/lib/root-versions.ts).
    const versions = rows.find((r) => r.relname === 'root_versions');
    expect(versions).toMatchObject({ relrowsecurity: true, relforcerowsecurity: false, qual: `((root_id)::text = current_setting('app.root_id'::text, true))` });
    expect(rows.map((r) => r.relname).filter((t) => t !== 'root_versions').sort()).toEqual([...TENANT_TABLES].sort());
    for (const row of rows.filter((r) => r.relname !== 'root_versions')) {
      expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      expect(row.qual).toBe(`((root_id)::text = current_setting('app.root_id'::text, true))`);
    }
  });

  it('the service may read and write every table a later migration adds, and no more than DML', async () => {
    const { rows } = await owner.query(
      `SELECT c.relname,
              has_table_privilege($1, c.oid, 'SELECT') AS sel, has_table_privilege($1, c.oid, 'INSERT') AS ins,
              has_table_privilege($1, c.oid, 'UPDATE') AS upd, has_table_privilege($1, c.oid, 'DELETE') AS del,
              has_table_privilege($1, c.oid, 'TRUNCATE') AS trunc, has_table_privilege($1, c.oid, 'REFERENCES') AS refs
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      [APP_ROLE],
    );
    for (const r of rows) {
      const expected =
        r.relname === 'fg_rls_bypass'
          ? { sel: false, ins: false, upd: false, del: false }
          : r.relname === 'migrations' || r.relname === 'root_versions'
            ? { sel: true, ins: false, upd: false, del: false }
            : { sel: true, ins: true, upd: true, del: true };
      expect({ table: r.relname, sel: r.sel, ins: r.ins, upd: r.upd, del: r.del, trunc: r.trunc, refs: r.refs }).toEqual({
        table: r.relname,
        ...expected,
        trunc: false,
        refs: false,
      });
    }
  });

  it("idempotency keys are scoped to app.user_id: one user's keys are invisible to another", async () => {
    await owner.query(
      `INSERT INTO idempotency_keys (id, user_id, key, method, path, fingerprint, expires_at) VALUES ($1, $2, 'k', 'POST', '/x', 'f', now() + interval '1 day')`,
      [randomUUID(), a.userId],
    );
    const seen = async (userId: string) =>
      scoped('', userId, async () => (await app.query(`SELECT user_id FROM idempotency_keys`)).rows.map((r) => r.user_id));
    expect(await seen(a.userId)).toEqual([a.userId]);
    expect(await seen(b.userId)).toEqual([]);
  });

  it('fails closed: without app.root_id the service sees no tenant row at all', async () => {
    for (const table of TENANT_TABLES) {
      const { rows } = await app.query(`SELECT count(*)::int AS n FROM "${table}"`);
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
    }
  });

  it('fg_enter_root sets the root scope only for a live, active owner; otherwise the transaction sees no tenant row', async () => {
    const enter = async (userId: string, rootId: string, withDeleted = false) => {
      await app.query('BEGIN');
      try {
        const { rows } = await app.query('SELECT id, is_active, owned FROM fg_enter_root($1, $2, $3)', [userId, rootId, withDeleted]);
        const scope = await app.query(`SELECT current_setting('app.root_id', true) AS root, current_setting('app.user_id', true) AS "user"`);
        const goals = await app.query('SELECT count(*)::int AS n FROM goals WHERE root_id = $1', [rootId]);
        return { rows, scope: scope.rows[0], goals: goals.rows[0].n };
      } finally {
        await app.query('ROLLBACK');
      }
    };
    const own = await enter(a.userId, a.rootId);
    expect(own.rows).toEqual([{ id: a.userId, is_active: true, owned: true }]);
    expect(own.scope).toEqual({ root: a.rootId, user: a.userId });
    expect(own.goals).toBeGreaterThan(0);

    const foreign = await enter(a.userId, b.rootId);
    expect(foreign.rows).toEqual([{ id: a.userId, is_active: true, owned: false }]);
    expect(foreign.scope).toEqual({ root: '', user: '' });
    expect(foreign.goals).toBe(0);

    expect(await enter(randomUUID(), a.rootId)).toEqual({ rows: [], scope: { root: '', user: '' }, goals: 0 });

    await owner.query('UPDATE users SET is_active = false WHERE id = $1', [a.userId]);
    try {
      expect(await enter(a.userId, a.rootId)).toEqual({ rows: [{ id: a.userId, is_active: false, owned: false }], scope: { root: '', user: '' }, goals: 0 });
    } finally {
      await owner.query('UPDATE users SET is_active = true WHERE id = $1', [a.userId]);
    }

    await owner.query('UPDATE goals SET deleted_at = now(), deletion_id = $2 WHERE id = $1', [a.rootId, randomUUID()]);
    try {
      expect((await enter(a.userId, a.rootId)).rows).toEqual([{ id: a.userId, is_active: true, owned: false }]);
      expect((await enter(a.userId, a.rootId, true)).scope.root).toBe(a.rootId);
    } finally {
      await owner.query('UPDATE goals SET deleted_at = NULL, deletion_id = NULL WHERE id = $1', [a.rootId]);
    }
  });

  it('raw SQL without any root_id predicate sees only the scoped root, in every tenant table', async () => {
    const expected = await snapshot(a.rootId);
    await scoped(a.rootId, a.userId, async () => {
      for (const table of TENANT_TABLES) {
        const { rows } = await app.query(`SELECT * FROM "${table}" ORDER BY id`);
        expect({ table, rows }).toEqual({ table, rows: expected[table] });
        expect(rows.length).toBeGreaterThan(0);
      }
    });
  });

  it('raw UPDATE and DELETE without a root_id predicate change only the scoped root; B stays byte-identical', async () => {
    const before = await snapshot(b.rootId);
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.root_id', $1, true), set_config('app.user_id', $2, true)`, [a.rootId, a.userId]);
    const updated = await app.query(`UPDATE goals SET description = 'touched by A'`);
    expect(updated.rowCount).toBe(3);
    const deleted = await app.query(`DELETE FROM metric_values`);
    expect(deleted.rowCount).toBe(1);
    const instances = await app.query(`UPDATE activity_instances SET notes = 'A only'`);
    expect(instances.rowCount).toBe(1);
    await app.query('COMMIT');

    expect(await snapshot(b.rootId)).toEqual(before);
    const mine = await owner.query(`SELECT count(*)::int AS n FROM goals WHERE description = 'touched by A'`);
    expect(mine.rows[0].n).toBe(3);
    const left = await owner.query(`SELECT root_id FROM metric_values`);
    expect(left.rows).toEqual([{ root_id: b.rootId }]);
  });

  it('the scope is transaction-local: after COMMIT the connection sees nothing again', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.root_id', $1, true)`, [a.rootId]);
    await app.query('COMMIT');
    const { rows } = await app.query(`SELECT count(*)::int AS n FROM goals`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses to write rows into another root, by INSERT or by moving a row', async () => {
    await scoped(a.rootId, a.userId, async () => {
      await app.query('SAVEPOINT s');
      await expect(
        app.query(`INSERT INTO activity_groups (id, root_id, name) VALUES ($1, $2, 'planted')`, [randomUUID(), b.rootId]),
      ).rejects.toThrow(/row-level security/);
      await app.query('ROLLBACK TO SAVEPOINT s');
      await expect(app.query(`UPDATE activity_groups SET root_id = $1`, [b.rootId])).rejects.toThrow(/row-level security|foreign key/);
    });
    const planted = await owner.query(`SELECT count(*)::int AS n FROM activity_groups WHERE name = 'planted'`);
    expect(planted.rows[0].n).toBe(0);
  });

  it("finding f: scoped to user A and root A, a row planted in B's tree that names A as its owner is refused", async () => {
    const before = await snapshot(b.rootId);
    const planted = randomUUID();
    await scoped(a.rootId, a.userId, async () => {
      await expect(
        app.query(`INSERT INTO goals (id, root_id, parent_id, user_id, type, name) VALUES ($1, $2, $2, $3, 'LongTermGoal', 'planted')`, [planted, b.rootId, a.userId]),
      ).rejects.toThrow(/row-level security/);
    });
    // Without the root scope, the user's own scope: the owner policy covers root rows only.
    await scoped('', a.userId, async () => {
      await expect(
        app.query(`INSERT INTO goals (id, root_id, parent_id, user_id, type, name) VALUES ($1, $2, $2, $3, 'LongTermGoal', 'planted')`, [planted, b.rootId, a.userId]),
      ).rejects.toThrow(/row-level security/);
    });
    expect(await snapshot(b.rootId)).toEqual(before);
    expect((await owner.query(`SELECT count(*)::int AS n FROM goals WHERE id = $1`, [planted])).rows[0].n).toBe(0);
  });

  it("the owner policy covers root rows only: A cannot move a root of A into B's tree, nor see or change a row that claims A as owner", async () => {
    const spare = randomUUID();
    await owner.query(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES ($1, $1, $2, 'UltimateGoal', 'Spare root')`, [spare, a.userId]);
    try {
      await scoped('', a.userId, async () => {
        await expect(app.query(`UPDATE goals SET root_id = $1, parent_id = $1 WHERE id = $2`, [b.rootId, spare])).rejects.toThrow(/row-level security/);
      });
      expect((await owner.query(`SELECT root_id, parent_id FROM goals WHERE id = $1`, [spare])).rows).toEqual([{ root_id: spare, parent_id: null }]);
      // Even with the CHECKs lifted, a child row that names A as its owner is B's tenant row, not A's.
      const stray = randomUUID();
      await owner.query('BEGIN');
      try {
        await owner.query(`ALTER TABLE goals DROP CONSTRAINT ck_goals_owner`);
        await owner.query(`INSERT INTO goals (id, root_id, parent_id, user_id, type, name) VALUES ($1, $2, $2, $3, 'LongTermGoal', 'stray')`, [stray, b.rootId, a.userId]);
        await owner.query(`SET LOCAL ROLE ${APP_ROLE}`);
        await owner.query(`SELECT set_config('app.user_id', $1, true), set_config('app.root_id', '', true)`, [a.userId]);
        expect((await owner.query(`SELECT id FROM goals WHERE id = $1`, [stray])).rows).toEqual([]);
        expect((await owner.query(`UPDATE goals SET name = 'taken' WHERE id = $1`, [stray])).rowCount).toBe(0);
      } finally {
        await owner.query('ROLLBACK');
      }
    } finally {
      await owner.query(`DELETE FROM goals WHERE id = $1`, [spare]);
    }
  });

  it("a user scope without a root lists and creates the user's own roots, and no one else's", async () => {
    await scoped('', a.userId, async () => {
      const { rows } = await app.query(`SELECT id FROM goals`);
      expect(rows).toEqual([{ id: a.rootId }]);
      const newRoot = randomUUID();
      await app.query(
        `INSERT INTO goals (id, root_id, user_id, type, name) VALUES ($1, $1, $2, 'UltimateGoal', 'Second root')`,
        [newRoot, a.userId],
      );
      const after = await app.query(`SELECT id FROM goals ORDER BY name`);
      expect(after.rows.map((r) => r.id).sort()).toEqual([a.rootId, newRoot].sort());
      await app.query('SAVEPOINT s');
      await expect(
        app.query(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES ($1, $1, $2, 'UltimateGoal', 'For B')`, [
          randomUUID(),
          b.userId,
        ]),
      ).rejects.toThrow(/row-level security/);
      await app.query('ROLLBACK TO SAVEPOINT s');
    });
  });

  it('an app-set GUC cannot bypass: only fg_begin_admin_bypass can, for an admin, and it writes the audit row', async () => {
    const total = await owner.query(`SELECT count(*)::int AS n FROM goals`);
    await app.query('BEGIN');
    await app.query(`SET LOCAL row_security = off`);
    await expect(app.query(`SELECT count(*) FROM goals`)).rejects.toThrow(/row-level security/);
    await app.query('ROLLBACK');

    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.bypass_rls', 'on', true)`);
    expect((await app.query(`SELECT count(*)::int AS n FROM goals`)).rows[0].n).toBe(0);
    await expect(
      app.query(`SELECT fg_begin_admin_bypass($1, 'peek', NULL, 'req-1', NULL)`, [a.userId]),
    ).rejects.toThrow(/active admin/);
    await app.query('ROLLBACK');

    await app.query('BEGIN');
    await app.query(`SELECT fg_begin_admin_bypass($1, 'support.inspect', $2, 'req-2', '{"ticket": 7}')`, [adminId, b.rootId]);
    expect((await app.query(`SELECT count(*)::int AS n FROM goals`)).rows[0].n).toBe(total.rows[0].n);
    await app.query('COMMIT');
    expect((await app.query(`SELECT count(*)::int AS n FROM goals`)).rows[0].n).toBe(0);

    const audit = await owner.query(`SELECT actor_user_id, action, target_root_id, request_id, details FROM admin_audit_log`);
    expect(audit.rows).toEqual([
      {
        actor_user_id: adminId,
        action: 'support.inspect',
        target_root_id: b.rootId,
        request_id: 'req-2',
        details: { rls_bypass: true, details: { ticket: 7 } },
      },
    ]);
  });
});

describePg('RowLevelSecurity migration: down undoes it, up again redoes it (PostgreSQL)', () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  beforeAll(async () => {
    // Migrated up to and including RowLevelSecurity, so that undoing the last migration undoes it.
    const empty = await createEmptyDatabase();
    const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(RowLevelSecurity1767225600010) + 1);
    const dataSource = new SafeDataSource({ ...dataSourceOptions(empty.config), migrations: upTo });
    dataSource.safeRunOptions = { log: () => undefined };
    await dataSource.initialize();
    await dataSource.runMigrations();
    db = { ...empty, dataSource, drop: async () => (await dataSource.destroy(), await empty.drop()) };
  });
  afterAll(async () => db?.drop());

  async function rlsState() {
    const q = (sql: string) => db.dataSource.query(sql);
    return {
      policies: (await q(`SELECT tablename || '.' || policyname AS p FROM pg_policies ORDER BY 1`)).map((r: { p: string }) => r.p),
      forced: (await q(`SELECT relname FROM pg_class WHERE relrowsecurity OR relforcerowsecurity ORDER BY 1`)).map(
        (r: { relname: string }) => r.relname,
      ),
      functions: (await q(`SELECT proname FROM pg_proc WHERE proname LIKE 'fg\\_%' ORDER BY 1`)).map((r: { proname: string }) => r.proname),
      grants: (
        await q(`SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE grantee = '${APP_ROLE}' AND table_catalog = current_database()`)
      )[0].n,
      ledger: (await q(`SELECT to_regclass('public.fg_rls_bypass') IS NOT NULL AS present`))[0].present,
    };
  }

  it('down removes every policy, the FORCE/ENABLE flags, the bypass functions and ledger, and the grants', async () => {
    const up = await rlsState();
    // Migrated up to RowLevelSecurity only: the tenant tables of that time.
    expect(up.policies).toHaveLength(RLS_TENANT_TABLES.length * 2 + 1);
    expect(up.forced).toEqual([...RLS_TENANT_TABLES].sort());
    expect(up.functions).toEqual(['fg_begin_admin_bypass', 'fg_rls_bypass_active']);
    expect(up.grants).toBeGreaterThan(0);
    expect(up.ledger).toBe(true);

    await db.dataSource.undoLastMigration();
    expect(await rlsState()).toEqual({ policies: [], forced: [], functions: [], grants: 0, ledger: false });

    await db.dataSource.runMigrations();
    expect(await rlsState()).toEqual(up);
  });
});
