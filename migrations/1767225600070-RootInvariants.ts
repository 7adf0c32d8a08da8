import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { RootOwnerCheck1767225600030 } from './1767225600030-RootOwnerCheck';
import { adoptionOptionsOf } from './lib/legacy/options';
import { adoptionOutput } from './lib/legacy/report';
import { UUID_SQL } from './lib/legacy/values';
import { listed, sqlOn, withoutForcedRls } from './lib/sql';
import { CheckSpec, editCreateSql, withChecks, withoutChecks } from './lib/sqlite-schema';
import { engineOf } from './lib/table-spec';

/** A root is the row that is its own root; only a root has no parent, and only a root has an owner. */
export const GOAL_CHECKS: CheckSpec[] = [
  { name: 'ck_goals_root', expression: '(parent_id IS NULL) = (id = root_id)' },
  { name: 'ck_goals_owner', expression: '(user_id IS NOT NULL) = (parent_id IS NULL)' },
  // A restore takes back the rows of one deletion id: a deleted row without one could never come back.
  { name: 'ck_goals_deletion', expression: '(deleted_at IS NULL) = (deletion_id IS NULL)' },
];
export const BLOCK_CHECKS: CheckSpec[] = [{ name: 'ck_program_blocks_date_order', expression: 'end_date >= start_date' }];

/** The adoption's disabled placeholder owner (frozen here: the adoption's code may move). */
const PLACEHOLDER_OWNER_EMAIL = 'legacy-owner@fractal-goals.invalid';

const OLD_OWNER_CLAUSE = `user_id IS NOT NULL AND user_id = current_setting('app.user_id', true)`;
/** The owner policy covers root rows only: every other row is the tenant policy's alone. */
const ROOT_OWNER_CLAUSE = `parent_id IS NULL AND id = root_id AND user_id = current_setting('app.user_id', true)`;

/**
 * The root invariants as CHECKs on both engines, the owner policy narrowed to root rows
 * (PostgreSQL), and fg_owns_root dropped (nothing calls it).
 *
 * Existing rows are repaired by rule first, and every repair is printed:
 * - a row that is its own root loses its parent (it could only be a cycle);
 * - a non-root row without a parent hangs under its root (legacy sessions and recovered
 *   goals that the adoption kept parentless under their root);
 * - a non-root row loses its user_id (the owner is the root's);
 * - a root without an owner goes to the adoption's disabled placeholder owner;
 * - deleted rows without a deletion id get one per root and deleted_at, so that a restore
 *   takes them back together; a live row drops a stale deletion id;
 * - a program block whose end comes before its start has its two dates swapped.
 * Repairs stay after down(): the repaired rows are valid under the old schema too.
 *
 * On SQLite the CHECKs are written into the goals and program_blocks CREATE text (see
 * editCreateSql) instead of rebuilding the tables: the goals table of a large adopted file
 * holds every session. The rows are verified here, and by integrity_check before the commit.
 */
export class RootInvariants1767225600070 implements MigrationInterface {
  name = 'RootInvariants1767225600070';

  async up(queryRunner: QueryRunner): Promise<void> {
    const engine = engineOf(queryRunner);
    await withoutForcedRls(queryRunner, ['goals', 'program_blocks'], async () => {
      await repairGoals(queryRunner);
      await repairBlocks(queryRunner);
      await verify(queryRunner, 'goals', GOAL_CHECKS);
      await verify(queryRunner, 'program_blocks', BLOCK_CHECKS);
    });
    if (engine === 'sqlite') {
      await editCreateSql(queryRunner, 'goals', (sql) => withChecks(sql, GOAL_CHECKS));
      await editCreateSql(queryRunner, 'program_blocks', (sql) => withChecks(sql, BLOCK_CHECKS));
      return;
    }
    for (const c of GOAL_CHECKS) await queryRunner.query(`ALTER TABLE "goals" ADD CONSTRAINT "${c.name}" CHECK (${c.expression})`);
    for (const c of BLOCK_CHECKS) await queryRunner.query(`ALTER TABLE "program_blocks" ADD CONSTRAINT "${c.name}" CHECK (${c.expression})`);
    await queryRunner.query(`ALTER POLICY fg_owner ON "goals" USING (${ROOT_OWNER_CLAUSE}) WITH CHECK (${ROOT_OWNER_CLAUSE})`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS fg_owns_root(varchar, varchar, boolean)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) === 'sqlite') {
      await editCreateSql(queryRunner, 'program_blocks', (sql) => withoutChecks(sql, BLOCK_CHECKS));
      await editCreateSql(queryRunner, 'goals', (sql) => withoutChecks(sql, GOAL_CHECKS));
      return;
    }
    await new RootOwnerCheck1767225600030().up(queryRunner);
    await queryRunner.query(`ALTER POLICY fg_owner ON "goals" USING (${OLD_OWNER_CLAUSE}) WITH CHECK (${OLD_OWNER_CLAUSE})`);
    for (const c of [...BLOCK_CHECKS].reverse()) await queryRunner.query(`ALTER TABLE "program_blocks" DROP CONSTRAINT "${c.name}"`);
    for (const c of [...GOAL_CHECKS].reverse()) await queryRunner.query(`ALTER TABLE "goals" DROP CONSTRAINT "${c.name}"`);
  }
}

/** Where the repairs are printed: the run's adoption output (SafeRunOptions.adoption), else stdout. */
const logOf = (qr: QueryRunner) => adoptionOutput(adoptionOptionsOf(qr)).log;

/** Runs one repair: lists the rows it will change, prints them, then changes them. */
async function repair(qr: QueryRunner, what: string, select: string, update: string): Promise<number> {
  const sql = sqlOn(qr);
  const rows = await sql<{ id: string }>(select);
  if (rows.length === 0) return 0;
  await sql(update);
  logOf(qr)(`RootInvariants: ${rows.length} ${what}: ${listed(rows.map((r) => r.id))}`);
  return rows.length;
}

async function repairGoals(qr: QueryRunner): Promise<void> {
  const sql = sqlOn(qr);
  const pg = engineOf(qr) === 'postgres';
  const bump = 'version = version + 1';
  await repair(qr, 'root(s) with a parent: parent cleared (a row that is its own root can only have a parent in a cycle)',
    `SELECT id FROM goals WHERE id = root_id AND parent_id IS NOT NULL ORDER BY id`,
    `UPDATE goals SET parent_id = NULL, ${bump} WHERE id = root_id AND parent_id IS NOT NULL`);

  const lost = await sql<{ id: string; root_id: string }>(
    `SELECT g.id, g.root_id FROM goals g JOIN goals r ON r.id = g.root_id
     WHERE g.parent_id IS NULL AND g.id <> g.root_id AND r.root_id <> r.id ORDER BY g.id LIMIT 10`,
  );
  if (lost.length > 0) {
    throw new Error(`RootInvariants: goals without a parent name a root that is not a root, so they cannot hang under it: ${lost.map((r) => `${r.id} (root_id ${r.root_id})`).join(', ')}. Nothing was changed.`);
  }
  await repair(qr, 'goal(s) without a parent inside a root: now children of their root',
    `SELECT id FROM goals WHERE parent_id IS NULL AND id <> root_id ORDER BY id`,
    `UPDATE goals SET parent_id = root_id, ${bump} WHERE parent_id IS NULL AND id <> root_id`);

  await repair(qr, 'non-root goal(s) with a user_id: cleared (a root carries the owner)',
    `SELECT id FROM goals WHERE parent_id IS NOT NULL AND user_id IS NOT NULL ORDER BY id`,
    `UPDATE goals SET user_id = NULL, ${bump} WHERE parent_id IS NOT NULL AND user_id IS NOT NULL`);

  await adoptOwnerless(qr);

  const deletion = pg
    ? `UPDATE goals g SET deletion_id = d.deletion_id, version = g.version + 1
       FROM (SELECT root_id, deleted_at, gen_random_uuid()::text AS deletion_id FROM goals
             WHERE deleted_at IS NOT NULL AND deletion_id IS NULL GROUP BY root_id, deleted_at) d
       WHERE g.root_id = d.root_id AND g.deleted_at = d.deleted_at AND g.deletion_id IS NULL`
    : `UPDATE goals SET deletion_id = (
         SELECT d.deletion_id FROM temp._fg_deletions d WHERE d.root_id = goals.root_id AND d.deleted_at = goals.deleted_at
       ), ${bump} WHERE deleted_at IS NOT NULL AND deletion_id IS NULL`;
  if (!pg) {
    // One id per (root, deleted_at): rows deleted together are restored together.
    await sql(
      `CREATE TEMP TABLE _fg_deletions AS SELECT root_id, deleted_at, ${UUID_SQL} AS deletion_id
       FROM goals WHERE deleted_at IS NOT NULL AND deletion_id IS NULL GROUP BY root_id, deleted_at`,
    );
  }
  await repair(qr, 'deleted goal(s) without a deletion id: given one per root and deleted_at',
    `SELECT id FROM goals WHERE deleted_at IS NOT NULL AND deletion_id IS NULL ORDER BY id`, deletion);
  if (!pg) await sql(`DROP TABLE temp._fg_deletions`);

  await repair(qr, 'live goal(s) with a deletion id: cleared',
    `SELECT id FROM goals WHERE deleted_at IS NULL AND deletion_id IS NOT NULL ORDER BY id`,
    `UPDATE goals SET deletion_id = NULL, ${bump} WHERE deleted_at IS NULL AND deletion_id IS NOT NULL`);
}

/** Roots without an owner go to the placeholder owner, as the adoption does; a name taken among its live roots gets a suffix. */
async function adoptOwnerless(qr: QueryRunner): Promise<void> {
  const sql = sqlOn(qr);
  const roots = await sql<{ id: string; name: string; deleted_at: unknown }>(
    `SELECT id, name, deleted_at FROM goals WHERE parent_id IS NULL AND user_id IS NULL ORDER BY created_at, id`,
  );
  if (roots.length === 0) return;
  let [owner] = await sql<{ id: string }>(`SELECT id FROM users WHERE email = ?`, [PLACEHOLDER_OWNER_EMAIL]);
  if (!owner) {
    owner = { id: randomUUID() };
    const inactive = engineOf(qr) === 'postgres' ? 'false' : '0';
    await sql(
      `INSERT INTO users (id, email, display_name, password_hash, role, is_active) VALUES (?, ?, 'Legacy owner (unclaimed)', NULL, 'user', ${inactive})`,
      [owner.id, PLACEHOLDER_OWNER_EMAIL],
    );
  }
  const taken = new Set(
    (await sql<{ name: string }>(`SELECT name FROM goals WHERE user_id = ? AND deleted_at IS NULL`, [owner.id])).map((r) => r.name),
  );
  for (const root of roots) {
    let name = root.name;
    if (root.deleted_at === null) {
      for (let n = 2; taken.has(name); n++) name = `${root.name} (${n})`;
      taken.add(name);
    }
    await sql(`UPDATE goals SET user_id = ?, name = ?, version = version + 1 WHERE id = ?`, [owner.id, name, root.id]);
    const renamed = name === root.name ? '' : `, renamed to "${name}"`;
    logOf(qr)(`RootInvariants: root ${root.id} had no owner: given to ${PLACEHOLDER_OWNER_EMAIL}${renamed}`);
  }
}

async function repairBlocks(qr: QueryRunner): Promise<void> {
  await repair(qr, 'program block(s) ending before they start: start_date and end_date swapped',
    `SELECT id FROM program_blocks WHERE end_date < start_date ORDER BY id`,
    `UPDATE program_blocks SET start_date = end_date, end_date = start_date WHERE end_date < start_date`);
}

/** Fails, naming rows, if any row still breaks a check: on SQLite nothing else would say which rows. */
async function verify(qr: QueryRunner, table: string, checks: CheckSpec[]): Promise<void> {
  for (const c of checks) {
    const bad = await sqlOn(qr)<{ id: string }>(`SELECT id FROM "${table}" WHERE NOT (${c.expression}) ORDER BY id LIMIT 10`);
    if (bad.length > 0) throw new Error(`RootInvariants: ${table} rows break ${c.name} after the repairs: ${bad.map((r) => r.id).join(', ')}`);
  }
}
