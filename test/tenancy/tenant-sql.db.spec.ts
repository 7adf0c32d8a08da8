import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActivityGroup } from '../../src/activities/activity-group.entity';
import { User } from '../../src/auth/user.entity';
import { RootRequiredError, UnitOfWorkRequiredError } from '../../src/context/context.errors';
import { RequestContext } from '../../src/context/request-context';
import { dialectOf } from '../../src/database/dialect';
import { Goal } from '../../src/goals/goal.entity';
import { ScopeEscapeError } from '../../src/tenancy/scope.errors';
import { TenantData } from '../../src/tenancy/tenant-data.service';
import { bind, bindList, list, live, rows, runFragment, sql, tenantSql, text } from '../../src/tenancy/tenant-sql';
import { createMigratedDatabase, describeDb } from '../helpers/db';

/**
 * Lean tenant statements (src/tenancy/tenant-sql.ts): SQL text on hot paths, held to the root
 * like every other read. The database is the owner's, so on PostgreSQL row-level security does
 * not help: the layer alone must hold.
 */
describeDb('tenant statements', () => {
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let ds: DataSource;
  const users = { a: randomUUID(), b: randomUUID() };
  const roots = { a: randomUUID(), b: randomUUID() };
  const ids: Record<string, string> = {};
  const user = (k: 'a' | 'b') => ({ id: users[k], email: `${k}@x.io`, role: 'user' as const });
  const ctxA = () => RequestContext.forUser('req-a', user('a')).withRoot(roots.a).withManager(ds.manager);
  const ctxB = () => RequestContext.forUser('req-b', user('b')).withRoot(roots.b).withManager(ds.manager);

  const byIds = tenantSql`SELECT g.id, g.name FROM ${live(ActivityGroup, 'g')} WHERE g.id IN ${list} ORDER BY g.name`;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    ds = db.dataSource;
    for (const k of ['a', 'b'] as const) {
      await ds.getRepository(User).insert({ id: users[k], email: `${k}@x.io`, role: 'user', isActive: true });
      await ds.getRepository(Goal).insert({ id: roots[k], rootId: roots[k], userId: users[k], type: 'UltimateGoal', name: `root ${k}` });
    }
    const groups = new TenantData().repo(ActivityGroup);
    const [a1, a2, gone] = await groups.insert(ctxA(), [{ name: 'A one' }, { name: 'A two' }, { name: 'A gone' }]);
    const b1 = await groups.insert(ctxB(), { name: 'B one' });
    await groups.softDelete(ctxA(), [gone.id]);
    Object.assign(ids, { a1: a1.id, a2: a2.id, gone: gone.id, b1: b1.id });
  });
  afterAll(async () => db?.drop());

  it("reads the context's root only: another root's id reads as missing", async () => {
    const all = [ids.a1, ids.a2, ids.b1];
    const prepared = jest.spyOn(dialectOf(ds), 'prepared');
    await byIds.run(ctxA(), [all]);
    expect(prepared).toHaveBeenCalledTimes(1);
    prepared.mockRestore();
    expect((await byIds.run(ctxA(), [all])).map((r) => r.name)).toEqual(['A one', 'A two']);
    expect((await byIds.run(ctxB(), [all])).map((r) => r.name)).toEqual(['B one']);
  });

  it('live() leaves soft-deleted rows out, rows() keeps them', async () => {
    const withDeleted = tenantSql`SELECT g.name FROM ${rows(ActivityGroup, 'g')} WHERE g.id = ?`;
    expect(await byIds.run(ctxA(), [[ids.gone]])).toEqual([]);
    expect(await withDeleted.run(ctxA(), [ids.gone])).toEqual([{ name: 'A gone' }]);
    expect(await withDeleted.run(ctxB(), [ids.gone])).toEqual([]);
  });

  it('cannot be widened by its own conditions: an OR stays inside the root', async () => {
    const widening = tenantSql`SELECT g.name FROM ${live(ActivityGroup, 'g')} WHERE g.id = ? OR 1 = 1 ORDER BY g.name`;
    expect((await widening.run(ctxB(), [ids.a1])).map((r) => r.name)).toEqual(['B one']);
  });

  it('binds parameters and the root in the order the text gives them, joins and sub-queries included', async () => {
    const joined = tenantSql`SELECT g.name, (SELECT COUNT(*) FROM ${live(ActivityGroup, 'h')} WHERE h.name <> ?) AS others
      FROM ${live(ActivityGroup, 'g')} JOIN ${rows(ActivityGroup, 'x')} ON x.id = g.id WHERE g.id = ?`;
    expect(await joined.run(ctxA(), ['A one', ids.a1])).toEqual([{ name: 'A one', others: expect.anything() }]);
    expect(Number((await joined.run(ctxA(), ['A one', ids.a1]))[0].others)).toBe(1);
    expect(await joined.run(ctxB(), ['A one', ids.a1])).toEqual([]);
  });

  it('is made of fragments as well: a sub-query used twice is scoped twice, and refused as the text is', async () => {
    const count = (alias: string) => sql`(SELECT COUNT(*) FROM ${live(ActivityGroup, alias)} WHERE ${text(alias)}.name <> g.name)`;
    const st = tenantSql`SELECT g.name, ${count('h')} AS one, ${count('k')} AS two FROM ${live(ActivityGroup, 'g')} WHERE g.id IN ${list}`;
    const [row] = await st.run(ctxA(), [[ids.a1]]);
    expect([row.name, Number(row.one), Number(row.two)]).toEqual(['A one', 1, 1]);
    expect(await st.run(ctxB(), [[ids.a1]])).toEqual([]);
    expect(() => tenantSql`SELECT * FROM ${live(ActivityGroup, 'g')} ${text('JOIN users u ON u.id = g.created_by')}`).toThrow(ScopeEscapeError);
    expect(() => tenantSql`SELECT 1 FROM ${live(ActivityGroup, 'g')}${text('; DELETE FROM x')}`).toThrow(ScopeEscapeError);
  });

  it('runs a fragment with the values it binds, in its root only, through the same checks', async () => {
    const f = (name: string) => sql`SELECT g.name FROM ${live(ActivityGroup, 'g')} WHERE g.id IN ${bindList([ids.a1, ids.b1])} AND g.name <> ${bind(name)}`;
    expect((await runFragment(ctxA(), f('nothing'))).map((r) => r.name)).toEqual(['A one']);
    expect((await runFragment(ctxA(), f('A one'))).map((r) => r.name)).toEqual([]);
    expect((await runFragment(ctxB(), f('nothing'))).map((r) => r.name)).toEqual(['B one']);
    const widened = sql`SELECT g.name FROM ${live(ActivityGroup, 'g')} WHERE g.id = ${bind(ids.b1)} OR 1 = 1 ORDER BY g.name`;
    expect((await runFragment(ctxA(), widened)).map((r) => r.name)).toEqual(['A one', 'A two']);
    expect(() => runFragment(ctxA(), sql`SELECT u.email FROM users u WHERE u.id = ${bind(ids.a1)}`)).toThrow(ScopeEscapeError);
  });

  it('plans a composed statement with its values on every call, where a fixed one keeps its prepared plan', async () => {
    // PostgreSQL may give a named statement a generic plan after five calls, planned without the
    // root: the series' one scanned a metric's every value per instance. Composed statements run
    // unnamed instead. SQLite plans once per prepare either way.
    await ds.transaction(async (manager) => {
      const ctx = RequestContext.forUser('req-a', user('a')).withRoot(roots.a).withManager(manager);
      const fixed = tenantSql`SELECT g.name AS fixed_marker FROM ${live(ActivityGroup, 'g')} WHERE g.id = ?`;
      const composed = sql`SELECT g.name AS composed_marker FROM ${live(ActivityGroup, 'g')} WHERE g.id = ${bind(ids.a1)}`;
      for (let i = 0; i < 7; i++) {
        expect(await fixed.run(ctx, [ids.a1])).toEqual([{ fixed_marker: 'A one' }]);
        expect(await runFragment(ctx, composed)).toEqual([{ composed_marker: 'A one' }]);
      }
      if (dialectOf(ds).engine !== 'postgres') return;
      const named = (marker: string) =>
        manager.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' AND statement NOT LIKE '%pg_prepared_statements%'`, [marker]);
      expect(await named('fixed_marker')).toEqual([{ n: 1 }]);
      expect(await named('composed_marker')).toEqual([{ n: 0 }]);
    });
  });

  it('tests membership in a list as a seek of each element, in a generic plan as in a custom one', async () => {
    // A generic plan is made for a root of average size. With the list as IN (SELECT unnest(...))
    // PostgreSQL's hashed every row of the root and kept those in the list: 57 ms on the heavy
    // root of the bench's M against 0.6. As = ANY(...) it is a condition on the row (an index
    // condition where an index serves it: bench/pg-generic-plans.ts shows it at scale), and no
    // plan hashes the root's rows to join them to the list.
    expect((await byIds.run(ctxA(), [[ids.a2, ids.a1, ids.b1]])).map((r) => r.name)).toEqual(['A one', 'A two']);
    expect(await byIds.run(ctxA(), [[]])).toEqual([]);
    if (dialectOf(ds).engine !== 'postgres') return;
    const logged = jest.spyOn(ds.logger, 'logQuery');
    await byIds.run(ctxA(), [[ids.a1]]);
    const text = logged.mock.calls[0][0];
    logged.mockRestore();
    const plan = await ds.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      await manager.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await manager.query(`PREPARE list_membership AS ${text}`);
      const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN EXECUTE list_membership('${roots.a}', '{${ids.a1}}')`);
      await manager.query('DEALLOCATE list_membership');
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/\(g?\.?id\)::text = ANY/);
    expect(plan).not.toMatch(/unnest|Semi Join/);
  });

  it('refuses a tenant table named in its text, however it is spelled', async () => {
    const texts = [
      () => tenantSql`SELECT * FROM activity_groups`,
      () => tenantSql`SELECT * FROM "Activity_Groups" g`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} JOIN goals x ON x.id = g.id`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')}, metric_values v`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} WHERE g.id IN (SELECT id FROM notes)`,
    ];
    for (const make of texts) await expect((async () => make().run(ctxA()))()).rejects.toThrow(ScopeEscapeError);
  });

  it('refuses any table not given through live() or rows(), however it is joined', () => {
    const texts = [
      () => tenantSql`SELECT u.email FROM users u`,
      () => tenantSql`SELECT g.id, u.email FROM ${live(ActivityGroup, 'g')} JOIN "users" u ON u.id = g.created_by`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')}, users u`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} WHERE g.created_by IN (SELECT id FROM admin_audit_log)`,
      () => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} CROSS JOIN main.users`,
    ];
    for (const make of texts) expect(make).toThrow(ScopeEscapeError);
  });

  it('takes a list right after IN only', () => {
    expect(() => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} WHERE g.id = ${list}`).toThrow(/right after IN/);
    expect(() => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} WHERE g.id NOT IN ${list}`).toThrow(/NOT \(x IN/);
    expect(() => tenantSql`SELECT g.id FROM ${live(ActivityGroup, 'g')} WHERE NOT (g.id IN ${list})`).not.toThrow();
  });

  it('refuses a write, and an alias that is not a plain name', () => {
    expect(() => tenantSql`UPDATE x SET a = 1`).toThrow(ScopeEscapeError);
    expect(() => tenantSql` delete from x`).toThrow(ScopeEscapeError);
    expect(() => tenantSql`WITH d AS (SELECT 1) DELETE FROM x`).toThrow(ScopeEscapeError);
    expect(() => tenantSql`SELECT 1; SELECT 2`).toThrow(ScopeEscapeError);
    expect(() => tenantSql`SELECT 1 FROM ${live(ActivityGroup, 'g" WHERE 1=1 --')}`).toThrow(ScopeEscapeError);
  });

  it('lets a column named like a table through only behind its alias', async () => {
    const st = tenantSql`SELECT g.id, g.name AS goals_name FROM ${live(ActivityGroup, 'g')} WHERE g.id = ?`;
    expect(await st.run(ctxA(), [ids.a1])).toEqual([{ id: ids.a1, goals_name: 'A one' }]);
  });

  it('refuses to run without a root, outside a unit of work, or with the wrong number of parameters, before any SQL', async () => {
    const spy = jest.spyOn(dialectOf(ds), 'prepared');
    try {
      await expect(byIds.run(RequestContext.forUser('r', user('a')).withManager(ds.manager), [[ids.a1]])).rejects.toThrow(RootRequiredError);
      await expect(byIds.run(RequestContext.forUser('r', user('a')).withRoot(roots.a), [[ids.a1]])).rejects.toThrow(UnitOfWorkRequiredError);
      await expect(byIds.run(ctxA(), [])).rejects.toThrow(RangeError);
      await expect(byIds.run(ctxA(), [[ids.a1], 'extra'])).rejects.toThrow(RangeError);
    } finally {
      spy.mockRestore();
    }
    expect(spy).not.toHaveBeenCalled();
  });
});
