import { Client, types as pgTypes } from 'pg';
import { MIGRATIONS } from '../../../../migrations';
import { SafeDataSource } from '../../data-source';
import { CopyRefused } from './report';
import { q } from './source';

export interface TargetColumn {
  name: string;
  type: string;
}

/** Every value as text: the checksum normalizes from PostgreSQL's own output, not from a driver's parse. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as typeof pgTypes;

export function connectTarget(url: string): Client {
  return new Client({ connectionString: url, types: RAW_TYPES });
}

export async function targetTables(client: Client): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name as string);
}

export async function targetColumns(client: Client, table: string): Promise<TargetColumn[]> {
  const { rows } = await client.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
    [table],
  );
  return rows.map((r) => ({ name: r.column_name as string, type: r.data_type as string }));
}

async function migrateTarget(url: string, log: (line: string) => void): Promise<void> {
  const ds = new SafeDataSource({
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    logging: false,
  });
  ds.safeRunOptions = { log: (line) => log(`  ${line}`) };
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

/**
 * Refuses a target that row-level security would blind, that holds another application or
 * any row; migrates one that has no tables yet. Answers the target's tables and whether it
 * was migrated here.
 */
export async function prepareTarget(target: Client, url: string, log: (line: string) => void): Promise<{ tables: string[]; migrated: boolean }> {
  const [who] = (await target.query(`SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`)).rows;
  if (who?.bypass !== 't') {
    throw new CopyRefused(
      'db:copy must connect as the database owner with SUPERUSER or BYPASSRLS (the URL used for migrations, not fractal_app): ' +
        'row-level security would hide rows from the emptiness check and refuse the inserts.',
    );
  }

  const tables = await targetTables(target);
  if (tables.length > 0 && !tables.includes('migrations')) {
    throw new CopyRefused(`The target is not empty and is not a Fractal Goals database (tables: ${tables.join(', ')}).`);
  }
  const nonEmpty: string[] = [];
  for (const t of tables.filter((t) => t !== 'migrations')) {
    const { rows } = await target.query(`SELECT EXISTS (SELECT 1 FROM ${q(t)}) AS any`);
    if (rows[0].any === 't') nonEmpty.push(t);
  }
  if (nonEmpty.length > 0) {
    throw new CopyRefused(`The target database is not empty (rows in: ${nonEmpty.join(', ')}). Nothing was copied.`);
  }
  const targetMigrations = tables.includes('migrations')
    ? (await target.query(`SELECT name FROM migrations`)).rows.map((r) => r.name as string)
    : [];
  if (targetMigrations.length >= MIGRATIONS.length) return { tables, migrated: false };
  log('Migrating the target to the current schema');
  await migrateTarget(url, log);
  return { tables: await targetTables(target), migrated: true };
}

/**
 * Parents and children arrive in any order (goals even reference goals): every foreign key
 * is made deferrable for the copy's transaction, and checked once, at its end.
 * Answers the function that checks them and puts them back as the migrations made them.
 */
export async function deferForeignKeys(target: Client): Promise<() => Promise<void>> {
  const fks = (
    await target.query(
      `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f' AND NOT c.condeferrable`,
    )
  ).rows as { tbl: string; name: string }[];
  for (const fk of fks) await target.query(`ALTER TABLE ${fk.tbl} ALTER CONSTRAINT ${q(fk.name)} DEFERRABLE INITIALLY DEFERRED`);
  await target.query('SET CONSTRAINTS ALL DEFERRED');
  return async () => {
    await target.query('SET CONSTRAINTS ALL IMMEDIATE');
    for (const fk of fks) await target.query(`ALTER TABLE ${fk.tbl} ALTER CONSTRAINT ${q(fk.name)} NOT DEFERRABLE`);
  };
}
