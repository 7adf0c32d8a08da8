import { QueryRunner } from 'typeorm';
import { engineOf } from './table-spec';

/**
 * Frozen helpers for root versions (migration RootVersions): every write to a tenant table gives
 * its root a new version token, in the writing transaction, so that an answer computed from a
 * root's rows stays valid exactly while the token does. A later tenant table calls
 * trackRootVersions in its own migration; test/tenancy/root-versions.db.spec.ts fails on a table
 * with a root_id that has no such triggers.
 *
 * Tokens are never reused (SQLite: 64 random bits; PostgreSQL: a sequence, which no rollback
 * takes back), so a token seen in a write that then rolled back can never name later data.
 */

const SEQUENCE = 'root_version_seq';
export const TOUCH_FUNCTION = 'fg_touch_root_versions';
const SQLITE_TOKEN = `lower(hex(randomblob(8)))`;

const triggerName = (table: string, op: 'insert' | 'update' | 'delete') => `trg_${table}_root_version_${op}`;

/**
 * The triggers on each table, one per kind of write. On PostgreSQL they are constraint triggers
 * deferred to the commit, so that a transaction takes its root's row of root_versions last, when
 * it holds every other lock it will take: taken at the first write, it would make two writes of
 * one root that lock the same rows in another order wait on each other (a deadlock) where
 * they used to wait their turn.
 */
export async function trackRootVersions(qr: QueryRunner, tables: string[]): Promise<void> {
  const pg = engineOf(qr) === 'postgres';
  for (const t of tables) {
    if (pg) {
      for (const op of ['insert', 'update', 'delete'] as const) {
        await qr.query(
          `CREATE CONSTRAINT TRIGGER "${triggerName(t, op)}" AFTER ${op.toUpperCase()} ON "${t}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${TOUCH_FUNCTION}()`,
        );
      }
      continue;
    }
    const upsert = (root: string) =>
      `INSERT INTO root_versions (root_id, version) VALUES (${root}, ${SQLITE_TOKEN}) ON CONFLICT (root_id) DO UPDATE SET version = excluded.version;`;
    // A deleted row touches a root that exists, or none: a purged root's row is not made again.
    const touch = (root: string) => `UPDATE root_versions SET version = ${SQLITE_TOKEN} WHERE root_id = ${root};`;
    await qr.query(`CREATE TRIGGER "${triggerName(t, 'insert')}" AFTER INSERT ON "${t}" BEGIN ${upsert('NEW.root_id')} END`);
    await qr.query(`CREATE TRIGGER "${triggerName(t, 'update')}" AFTER UPDATE ON "${t}" BEGIN ${upsert('NEW.root_id')} ${touch('OLD.root_id')} END`);
    await qr.query(
      t === 'goals'
        ? `CREATE TRIGGER "${triggerName(t, 'delete')}" AFTER DELETE ON "${t}" BEGIN ${touch('OLD.root_id')} DELETE FROM root_versions WHERE root_id = OLD.id AND OLD.id = OLD.root_id; END`
        : `CREATE TRIGGER "${triggerName(t, 'delete')}" AFTER DELETE ON "${t}" BEGIN ${touch('OLD.root_id')} END`,
    );
  }
}

export async function untrackRootVersions(qr: QueryRunner, tables: string[]): Promise<void> {
  const pg = engineOf(qr) === 'postgres';
  for (const t of tables) {
    for (const op of ['insert', 'update', 'delete'] as const) await qr.query(pg ? `DROP TRIGGER "${triggerName(t, op)}" ON "${t}"` : `DROP TRIGGER "${triggerName(t, op)}"`);
  }
}

/**
 * The table, the token source, and on PostgreSQL the trigger function. The function is SECURITY
 * DEFINER: a root is created (and its first rows written) before any root is in scope, where a
 * policy on root_versions would refuse the write; it writes tokens only for the roots of rows
 * the statement itself was allowed to change. The service role may read the tokens of its root
 * (policy fg_tenant, RLS enabled but not forced, so the owner's function is not held by it) and
 * never write one.
 */
export async function createRootVersions(qr: QueryRunner): Promise<void> {
  const pg = engineOf(qr) === 'postgres';
  await qr.query(`CREATE TABLE "root_versions" ("root_id" varchar(36) PRIMARY KEY NOT NULL, "version" varchar(32) NOT NULL)`);
  if (!pg) return;
  await qr.query(`CREATE SEQUENCE ${SEQUENCE}`);
  const token = `nextval('${SEQUENCE}')::text`;
  await qr.query(`CREATE FUNCTION ${TOUCH_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  root varchar;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME = 'goals' AND OLD.id = OLD.root_id THEN
      DELETE FROM root_versions WHERE root_id = OLD.id;
      RETURN NULL;
    END IF;
    root := OLD.root_id;
  ELSE
    root := NEW.root_id;
  END IF;
  -- Once per root and transaction: the token is seen at the commit only, and a row updated again
  -- and again in one transaction grows a chain of versions that each update walks (quadratic).
  PERFORM 1 FROM root_versions WHERE root_id = root AND xmin = pg_current_xact_id()::xid;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    UPDATE root_versions SET version = ${token} WHERE root_id = root;
    RETURN NULL;
  END IF;
  INSERT INTO root_versions (root_id, version) VALUES (root, ${token})
    ON CONFLICT (root_id) DO UPDATE SET version = excluded.version;
  IF TG_OP = 'UPDATE' AND OLD.root_id IS DISTINCT FROM NEW.root_id THEN
    UPDATE root_versions SET version = ${token} WHERE root_id = OLD.root_id;
  END IF;
  RETURN NULL;
END $$`);
  await qr.query(`REVOKE ALL ON FUNCTION ${TOUCH_FUNCTION}() FROM PUBLIC`);
  await qr.query(`ALTER TABLE "root_versions" ENABLE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY fg_tenant ON "root_versions" FOR SELECT USING (root_id = current_setting('app.root_id', true))`);
  await qr.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fractal_app') THEN
    GRANT SELECT ON "root_versions" TO fractal_app;
  END IF;
END $$`);
}

export async function dropRootVersions(qr: QueryRunner): Promise<void> {
  if (engineOf(qr) === 'postgres') {
    await qr.query(`DROP FUNCTION ${TOUCH_FUNCTION}()`);
    await qr.query(`DROP SEQUENCE ${SEQUENCE}`);
  }
  await qr.query(`DROP TABLE "root_versions"`);
}
