import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, QueryFailedError, Raw } from 'typeorm';
import { ActivityGroup } from '../../src/activities/activity-group.entity';
import { User } from '../../src/auth/user.entity';
import { RootRequiredError, UnitOfWorkRequiredError } from '../../src/context/context.errors';
import { RequestContext } from '../../src/context/request-context';
import { dialectOf } from '../../src/database/dialect';
import { Goal } from '../../src/goals/goal.entity';
import { ForeignRootError, ScopeEscapeError, ServerColumnError, UnfilteredWriteError } from '../../src/tenancy/scope.errors';
import { SCOPE_PARAM } from '../../src/tenancy/scoped-query-builder';
import { TenantData } from '../../src/tenancy/tenant-data.service';
import { TenantRepository } from '../../src/tenancy/tenant-repository';
import { createMigratedDatabase, describeDb } from '../helpers/db';

/**
 * The scoped layer called the way a feature calls it, and the ways a feature could try to
 * talk it out of its root (issue 13, findings a to e). The database here is the owner's, so
 * row-level security does not help on PostgreSQL: the layer alone must hold.
 */
describeDb('TenantRepository', () => {
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let ds: DataSource;
  const users = { a: randomUUID(), b: randomUUID() };
  const roots = { a: randomUUID(), b: randomUUID() };
  let groups: TenantRepository<ActivityGroup>;
  let goals: TenantRepository<Goal>;
  const user = (k: 'a' | 'b') => ({ id: users[k], email: `${k}@x.io`, role: 'user' as const });
  const ctxA = () => RequestContext.forUser('req-a', user('a')).withRoot(roots.a).withManager(ds.manager);
  const ctxB = () => RequestContext.forUser('req-b', user('b')).withRoot(roots.b).withManager(ds.manager);
  const raw = (sql: string, params: unknown[] = []) => ds.query(dialectOf(ds).sql(sql), params);
  const rowOf = async (table: string, id: string) => (await ds.query(`SELECT * FROM ${table} WHERE id = '${id}'`))[0];

  beforeAll(async () => {
    db = await createMigratedDatabase();
    ds = db.dataSource;
    for (const k of ['a', 'b'] as const) {
      await ds.getRepository(User).insert({ id: users[k], email: `${k}@x.io`, role: 'user', isActive: true });
      await ds.getRepository(Goal).insert({ id: roots[k], rootId: roots[k], userId: users[k], type: 'UltimateGoal', name: `root ${k}` });
    }
    const data = new TenantData();
    groups = data.repo(ActivityGroup);
    goals = data.repo(Goal);
    await groups.insert(ctxB(), [{ name: 'B one' }, { name: 'B two', description: null }]);
  });
  afterAll(async () => db?.drop());

  it('stamps root_id, created_by and updated_by on insert, and answers the row as stored', async () => {
    const g = await groups.insert(ctxA(), { name: 'Strength' });
    expect(g).toMatchObject({ rootId: roots.a, createdBy: users.a, updatedBy: users.a, name: 'Strength', deletedAt: null });
    expect(g.createdAt).toBeInstanceOf(Date);
  });

  it('answers the rows of a multi-row insert in the order given, each with the values it was given', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Ordered ${i}`);
    const made = await groups.insert(ctxA(), names.map((name, sortOrder) => ({ name, sortOrder })));
    expect(made.map((g) => [g.name, g.sortOrder])).toEqual(names.map((n, i) => [n, i]));
    for (const g of made) expect((await rowOf('activity_groups', g.id)).name).toBe(g.name);
  });

  it('refuses to run without a root, or outside a unit of work, before any SQL', async () => {
    const noRoot = RequestContext.forUser('r', user('a')).withManager(ds.manager);
    const noUnit = RequestContext.forUser('r', user('a')).withRoot(roots.a);
    const spy = jest.spyOn(ds.manager, 'query');
    try {
      for (const ctx of [noRoot, noUnit]) {
        const error = ctx === noRoot ? RootRequiredError : UnitOfWorkRequiredError;
        await expect(groups.find(ctx)).rejects.toThrow(error);
        expect(() => groups.createQueryBuilder(ctx, 'g')).toThrow(error);
        await expect(groups.insert(ctx, { name: 'x' })).rejects.toThrow(error);
        await expect(groups.update(ctx, { name: 'x' }, { name: 'y' })).rejects.toThrow(error);
        await expect(groups.softDelete(ctx, [randomUUID()])).rejects.toThrow(error);
      }
    } finally {
      spy.mockRestore();
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('reads, updates and deletes only inside the root', async () => {
    const b = await groups.insert(ctxB(), { name: 'B only' });
    expect(await groups.findById(ctxA(), b.id)).toBeNull();
    expect((await groups.find(ctxA())).map((g) => g.rootId)).not.toContain(roots.b);
    expect(await groups.update(ctxA(), { id: b.id }, { name: 'stolen' })).toBe(0);
    expect((await groups.softDelete(ctxA(), [b.id])).count).toBe(0);
    await expect(groups.find(ctxA(), { where: { rootId: roots.b } })).rejects.toThrow(ForeignRootError);
    await expect(groups.update(ctxA(), { id: b.id, rootId: roots.b }, { name: 'x' })).rejects.toThrow(ForeignRootError);
    expect(await rowOf('activity_groups', b.id)).toMatchObject({ name: 'B only', deleted_at: null });
  });

  describe('finding a: a caller condition with OR stays inside the root', () => {
    it('andWhere("x OR y") returns only rows of the root', async () => {
      const rows = await groups.createQueryBuilder(ctxA(), 'g').andWhere('g.name = :n OR g.description IS NULL', { n: 'none' }).getMany();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.rootId === roots.a)).toBe(true);
    });

    it('where() after the scope replaces only the caller condition, never the root', async () => {
      const rows = await groups.createQueryBuilder(ctxA(), 'g').where('1 = 1 OR 1 = 1').getMany();
      expect(rows.every((r) => r.rootId === roots.a)).toBe(true);
    });

    it('an OR inside Brackets is allowed, and stays inside the root', async () => {
      const rows = await groups
        .createQueryBuilder(ctxA(), 'g')
        .andWhere(new Brackets((qb) => qb.where('g.name = :x', { x: 'B one' }).orWhere('g.name = :y', { y: 'Strength' })))
        .getMany();
      expect(rows.map((r) => r.name)).toEqual(['Strength']);
    });

    it('find() with an array (an OR of filters) stays inside the root', async () => {
      const rows = await groups.find(ctxA(), { where: [{ name: 'B one' }, { name: 'B two' }, { name: 'Strength' }] });
      expect(rows.map((r) => r.name)).toEqual(['Strength']);
    });

    it('a Raw() condition in a filter object is refused', async () => {
      await expect(groups.find(ctxA(), { where: { name: Raw((alias) => `${alias} IS NOT NULL OR 1 = 1`) } })).rejects.toThrow(ScopeEscapeError);
      await expect(groups.update(ctxA(), { name: Raw(() => `'x' OR 1 = 1`) }, { description: 'x' })).rejects.toThrow(ScopeEscapeError);
    });

    it('a join and a sub-query of a tenant table are scoped too', async () => {
      const bGroup = (await groups.find(ctxB()))[0];
      const joined = await goals
        .createQueryBuilder(ctxA(), 'goal')
        .leftJoin(ActivityGroup, 'grp', '1 = 1')
        .select('grp.id', 'id')
        .getRawMany<{ id: string | null }>();
      expect(joined.map((r) => r.id)).not.toContain(bGroup.id);
      const viaSubQuery = await goals
        .createQueryBuilder(ctxA(), 'goal')
        .andWhere((qb) => `EXISTS ${qb.subQuery().select('1').from(ActivityGroup, 'sg').where('sg.id = :bg', { bg: bGroup.id }).getQuery()}`)
        .getMany();
      expect(viaSubQuery).toEqual([]);
    });
  });

  it('finding b: orWhere beside the scope throws', () => {
    expect(() => groups.createQueryBuilder(ctxA(), 'g').andWhere('g.name = :n', { n: 'x' }).orWhere('1 = 1')).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').orWhereInIds([randomUUID()])).toThrow(ScopeEscapeError);
  });

  it('finding c: the root cannot be rebound through a parameter', async () => {
    for (const name of [SCOPE_PARAM, '__tenantRoot']) {
      let rows: ActivityGroup[] = [];
      try {
        rows = await groups.createQueryBuilder(ctxA(), 'g').setParameter(name, roots.b).getMany();
      } catch (err) {
        expect(err).toBeInstanceOf(ScopeEscapeError);
      }
      expect(rows.every((r) => r.rootId === roots.a)).toBe(true);
    }
    expect(() => groups.createQueryBuilder(ctxA(), 'g').setParameter(SCOPE_PARAM, roots.b)).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').andWhere('1 = 1', { [SCOPE_PARAM]: roots.b })).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').setParameters({ [SCOPE_PARAM]: roots.b })).toThrow(ScopeEscapeError);
  });

  it('refuses what could leave the scope: a second FROM, a table outside the roots, a write from a SELECT', async () => {
    expect(() => groups.createQueryBuilder(ctxA(), 'g').addFrom(Goal, 'other')).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').leftJoin('idempotency_keys', 'k', '1 = 1')).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').leftJoin(User, 'u', '1 = 1')).toThrow(ScopeEscapeError);
    // A table named as a string is still the entity's table, and scoped as such.
    const byName = await groups.createQueryBuilder(ctxA(), 'g').innerJoin('activity_groups', 'x', '1 = 1').select('x.root_id', 'root').getRawMany<{ root: string }>();
    expect(new Set(byName.map((r) => r.root))).toEqual(new Set([roots.a]));
    expect(() => groups.createQueryBuilder(ctxA(), 'g').update()).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').delete()).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').insert()).toThrow(ScopeEscapeError);
    expect(() => groups.createQueryBuilder(ctxA(), 'g').softDelete()).toThrow(ScopeEscapeError);
  });

  it("finding d: an insert with the id of another root's row is a conflict, and changes nothing", async () => {
    const [b] = await groups.find(ctxB(), { where: { name: 'B one' } });
    const before = await rowOf('activity_groups', b.id);
    await expect(groups.insert(ctxA(), { id: b.id, name: 'moved' })).rejects.toThrow(QueryFailedError);
    expect(await rowOf('activity_groups', b.id)).toEqual(before);
    const own = await groups.insert(ctxA(), { name: 'twice' });
    await expect(groups.insert(ctxA(), { id: own.id, name: 'again' })).rejects.toThrow(QueryFailedError);
    expect((await groups.findById(ctxA(), own.id))!.name).toBe('twice');
  });

  describe("finding e: a write cannot name the server's columns", () => {
    it('a create refuses them, an id aside', async () => {
      for (const values of [{ rootId: roots.b }, { userId: users.b }, { version: 7 }, { createdBy: users.b }, { deletedAt: new Date() }, { deletionId: randomUUID() }]) {
        await expect(goals.insert(ctxA(), { name: 'x', type: 'LongTermGoal', parentId: roots.a, ...values } as never)).rejects.toThrow(
          'rootId' in values ? ForeignRootError : ServerColumnError,
        );
      }
      expect(await goals.count(ctxA(), { name: 'x' })).toBe(0);
    });

    it('a patch refuses them, and an empty filter', async () => {
      const patches = [{ userId: users.b }, { version: 99 }, { id: randomUUID() }, { rootId: roots.b }, { createdAt: new Date() }, { updatedBy: users.b }, { deletionId: null }];
      for (const patch of patches) {
        await expect(goals.update(ctxA(), { id: roots.a }, patch as never)).rejects.toThrow(Error);
      }
      await expect(goals.update(ctxA(), {}, { name: 'all' })).rejects.toThrow(UnfilteredWriteError);
      await expect(goals.update(ctxA(), { name: undefined }, { name: 'all' })).rejects.toThrow(UnfilteredWriteError);
      expect(await rowOf('goals', roots.a)).toMatchObject({ user_id: users.a, name: 'root a' });
      expect(Number((await rowOf('goals', roots.a)).version)).toBe(1);
    });

    it('a parent in another root is refused by the database (composite key)', async () => {
      const child = await goals.insert(ctxA(), { name: 'child', type: 'LongTermGoal', parentId: roots.a });
      await expect(goals.update(ctxA(), { id: child.id }, { parentId: roots.b })).rejects.toThrow(QueryFailedError);
      expect((await rowOf('goals', child.id)).parent_id).toBe(roots.a);
    });
  });

  it('sets updated_at, updated_by and the version on update', async () => {
    const g = await groups.insert(ctxA(), { name: 'Audit me' });
    await raw(`UPDATE activity_groups SET updated_at = '2000-01-01 00:00:00', updated_by = NULL WHERE id = ?`, [g.id]);
    expect(await groups.update(ctxA(), { id: g.id }, { description: 'changed' })).toBe(1);
    const after = await groups.findById(ctxA(), g.id);
    expect(after!.updatedAt.getUTCFullYear()).toBeGreaterThan(2000);
    expect(after!.updatedBy).toBe(users.a);
    expect(await goals.update(ctxA(), { id: roots.a }, { description: 'v2' })).toBe(1);
    expect((await goals.findById(ctxA(), roots.a))!.version).toBe(2);
  });

  it('inside a transaction, an update by id is one bound statement that keeps to the live row of the root', async () => {
    const [mine, gone] = await groups.insert(ctxA(), [{ name: 'Bound', sortOrder: 1 }, { name: 'Gone' }]);
    const theirs = await groups.insert(ctxB(), { name: 'Theirs' });
    await groups.softDelete(ctxA(), [gone.id]);
    const statements: string[] = [];
    await ds.transaction(async (m) => {
      const tx = RequestContext.forUser('req-tx', user('a')).withRoot(roots.a).withManager(m);
      const query = jest.spyOn(m.queryRunner!, 'query');
      expect(await groups.update(tx, { id: mine.id }, { sortOrder: 7, description: 'bound' })).toBe(1);
      expect(await groups.update(tx, { id: theirs.id }, { name: 'stolen' })).toBe(0);
      expect(await groups.update(tx, { id: gone.id }, { name: 'revived?' })).toBe(0);
      statements.push(...query.mock.calls.map((c) => String(c[0])));
      query.mockRestore();
    });
    // Every value bound: the same text whatever the values, no number written into the SQL.
    const updates = statements.filter((q) => /^UPDATE/.test(q));
    expect(updates.length).toBe(3);
    expect(updates[1]).toBe(updates[2]);
    for (const q of updates) expect(q).not.toMatch(/= 7\b|'bound'|stolen|revived/);
    const row = await rowOf('activity_groups', mine.id);
    expect([Number(row.sort_order), row.description, row.updated_by, Number(row.version)]).toEqual([7, 'bound', users.a, 2]);
    expect((await rowOf('activity_groups', theirs.id)).name).toBe('Theirs');
    expect((await rowOf('activity_groups', gone.id)).name).toBe('Gone');
  });

  it('restores exactly what one soft delete took', async () => {
    const [x, y, z] = await groups.insert(ctxA(), [{ name: 'x1' }, { name: 'y1' }, { name: 'z1' }]);
    const earlier = await groups.softDelete(ctxA(), [z.id]);
    const del = await groups.softDelete(ctxA(), [x.id, y.id, z.id]);
    expect(del.count).toBe(2);
    expect(await groups.findById(ctxA(), x.id)).toBeNull();
    expect(await groups.restore(ctxA(), del.deletionId)).toBe(2);
    expect(await groups.findById(ctxA(), x.id)).not.toBeNull();
    expect(await groups.findById(ctxA(), y.id)).not.toBeNull();
    const zAfter = await groups.findById(ctxA(), z.id, true);
    expect(zAfter!.deletionId).toBe(earlier.deletionId);
    expect(zAfter!.deletedAt).not.toBeNull();
    expect(await groups.restore(ctxB(), earlier.deletionId)).toBe(0);
  });
});
