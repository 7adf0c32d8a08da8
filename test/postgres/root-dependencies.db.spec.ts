import { randomUUID } from 'node:crypto';
import { SafeDataSource } from '../../src/database/data-source';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';

/**
 * Migration RootDependencies (PostgreSQL): the planner knows that an activity instance's root
 * follows from its activity, so that `root_id = ? AND activity_definition_id = ?` is estimated as
 * the activity's instances, not as the product of two independent selectivities. The generic plan
 * of the session view's `previous` depends on it (bench/pg-generic-plans.ts).
 */
(ENGINE === 'postgres' ? describeDb : describe.skip)('root dependencies in the planner statistics (postgres)', () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  const roots = [randomUUID(), randomUUID()];
  const activities = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  beforeAll(async () => {
    db = await createMigratedDatabase();
    const q = (sql: string, params: unknown[]) => db.dataSource.query(sql, params);
    for (const [k, root] of roots.entries()) {
      const user = randomUUID();
      await q(`INSERT INTO users (id, email, role, is_active) VALUES ($1, $2, 'user', true)`, [user, `deps${k}@x.io`]);
      await q(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES ($1, $1, $2, 'UltimateGoal', 'root')`, [root, user]);
      await q(`INSERT INTO goals (id, root_id, parent_id, type, name) VALUES ($1, $2, $2, 'PracticeSession', 'session')`, [`s-${root}`.slice(0, 36), root]);
    }
    // Root 0: one activity with 60 instances. Root 1: three activities with 20 each.
    for (const [k, activity] of activities.entries()) {
      const root = roots[k === 0 ? 0 : 1];
      await q(`INSERT INTO activity_definitions (id, root_id, name) VALUES ($1, $2, $3)`, [activity, root, `activity ${k}`]);
      for (let n = 0; n < (k === 0 ? 60 : 20); n++) {
        await q(`INSERT INTO activity_instances (id, root_id, practice_session_id, activity_definition_id) VALUES ($1, $2, $3, $4)`, [randomUUID(), root, `s-${root}`.slice(0, 36), activity]);
      }
    }
    await db.dataSource.query('ANALYZE activity_instances');
  });
  afterAll(async () => db?.drop());

  /** The planner's estimate of root 0's instances of its activity, after `before` in the same transaction. */
  const estimate = async (before?: string): Promise<number> =>
    db.dataSource.transaction(async (manager) => {
      if (before) await manager.query(before);
      const [row] = await manager.query(`EXPLAIN (FORMAT JSON) SELECT * FROM activity_instances WHERE root_id = $1 AND activity_definition_id = $2`, [roots[0], activities[0]]);
      const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
      return plan[0].Plan['Plan Rows'] as number;
    });

  it('estimates the instances of an activity in its root as the instances of the activity, and would not without the statistics', async () => {
    // 60 rows. Independent selectivities would give 120 x 60/120 x 60/120, that is 30.
    expect(await estimate()).toBeGreaterThanOrEqual(55);
    expect(await estimate('DROP STATISTICS st_activity_instances_root')).toBeLessThan(40);
  });
});
