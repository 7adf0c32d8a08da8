import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActivityGroup } from '../../src/activities/activity-group.entity';
import { User } from '../../src/auth/user.entity';
import { Goal } from '../../src/goals/goal.entity';
import { MissingTenantContextError, RequestContext } from '../../src/tenancy/request-context';
import { CrossTenantWriteError, TenantRepository } from '../../src/tenancy/tenant-repository';
import { createMigratedDatabase, describeDb } from '../helpers/db';

describeDb('TenantRepository', () => {
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let ds: DataSource;
  const users = { a: randomUUID(), b: randomUUID() };
  const roots = { a: randomUUID(), b: randomUUID() };
  let groups: TenantRepository<ActivityGroup>;
  const ctxA = () => RequestContext.forUser('req-a', { id: users.a, email: 'a@x.io', role: 'user' }).withRoot(roots.a);
  const ctxB = () => RequestContext.forUser('req-b', { id: users.b, email: 'b@x.io', role: 'user' }).withRoot(roots.b);

  beforeAll(async () => {
    db = await createMigratedDatabase();
    ds = db.dataSource;
    for (const k of ['a', 'b'] as const) {
      await ds.getRepository(User).insert({ id: users[k], email: `${k}@x.io`, role: 'user', isActive: true });
      await ds.getRepository(Goal).insert({ id: roots[k], rootId: roots[k], userId: users[k], type: 'UltimateGoal', name: `root ${k}` });
    }
    groups = new TenantRepository(ds, ActivityGroup);
  });
  afterAll(async () => db?.drop());

  it('stamps root_id, created_by and updated_by on insert', async () => {
    const g = await groups.insert(ctxA(), { name: 'Strength' });
    expect(g).toMatchObject({ rootId: roots.a, createdBy: users.a, updatedBy: users.a });
    expect(g.createdAt).toBeInstanceOf(Date);
  });

  it('refuses to insert a row naming another root', async () => {
    await expect(groups.insert(ctxA(), { name: 'x', rootId: roots.b })).rejects.toThrow(CrossTenantWriteError);
  });

  it('throws before any SQL when the context has no root', async () => {
    const noRoot = RequestContext.forUser('r', { id: users.a, email: 'a@x.io', role: 'user' });
    await expect(groups.find(noRoot)).rejects.toThrow(MissingTenantContextError);
    expect(() => groups.createQueryBuilder(noRoot, 'g')).toThrow(MissingTenantContextError);
    await expect(groups.insert(noRoot, { name: 'x' })).rejects.toThrow(MissingTenantContextError);
    await expect(groups.update(noRoot, {}, { name: 'y' })).rejects.toThrow(MissingTenantContextError);
  });

  it('reads, updates and deletes only inside the root', async () => {
    const b = await groups.insert(ctxB(), { name: 'B only' });
    expect(await groups.findById(ctxA(), b.id)).toBeNull();
    expect((await groups.find(ctxA())).map((g) => g.rootId)).not.toContain(roots.b);
    expect(await groups.update(ctxA(), { id: b.id }, { name: 'stolen' })).toBe(0);
    expect((await groups.softDelete(ctxA(), [b.id])).count).toBe(0);
    await expect(groups.find(ctxA(), { where: { rootId: roots.b } })).rejects.toThrow(CrossTenantWriteError);
    const still = await ds.getRepository(ActivityGroup).findOneByOrFail({ id: b.id });
    expect(still).toMatchObject({ name: 'B only', deletedAt: null });
  });

  it('keeps the root predicate when a query builder is given another where()', async () => {
    await groups.insert(ctxB(), { name: 'Hidden' });
    const rows = await groups.createQueryBuilder(ctxA(), 'g').where('1 = 1').getMany();
    expect(rows.every((r) => r.rootId === roots.a)).toBe(true);
    const sql = groups.createQueryBuilder(ctxA(), 'g').where('g.name = :n', { n: 'Hidden' }).getQuery();
    expect(sql).toContain('root_id');
  });

  it('cannot patch the root, the id or the creation stamps', async () => {
    const g = await groups.insert(ctxA(), { name: 'Immutable' });
    await expect(groups.update(ctxA(), { id: g.id }, { rootId: roots.b })).rejects.toThrow(CrossTenantWriteError);
    await expect(groups.update(ctxA(), { id: g.id }, { createdBy: users.b })).rejects.toThrow(CrossTenantWriteError);
  });

  it('sets updated_at and updated_by on update', async () => {
    const g = await groups.insert(ctxA(), { name: 'Audit me' });
    await ds.query(`UPDATE activity_groups SET updated_at = '2000-01-01 00:00:00', updated_by = NULL WHERE id = '${g.id}'`);
    expect(await groups.update(ctxA(), { id: g.id }, { description: 'changed' })).toBe(1);
    const after = await groups.findById(ctxA(), g.id);
    expect(after!.updatedAt.getUTCFullYear()).toBeGreaterThan(2000);
    expect(after!.updatedBy).toBe(users.a);
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
  });
});
