import { DataSource, EntityMetadata } from 'typeorm';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';

/**
 * PostgreSQL's catalog, read after migration:run, against TypeORM's entity metadata: the
 * migrations and the entities describe one schema. (schema-log.db.spec.ts checks the same
 * through TypeORM's own diff on both engines; this one names each difference.)
 */
const describePg = ENGINE === 'postgres' ? describeDb : describe.skip;

/** Tables the migrations own that no entity maps: bookkeeping, the RLS bypass ledger, idempotency keys, root versions. */
const NON_ENTITY_TABLES = ['fg_rls_bypass', 'idempotency_keys', 'migrations', 'root_versions'];

const FK_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** `((type)::text = 'PracticeSession'::text)` and `type = 'PracticeSession'` compare equal. */
export function normalizeSql(expr: string | null | undefined): string | null {
  if (expr === null || expr === undefined) return null;
  return tokens(expr).join(' ');
}

function tokens(expr: string): string[] {
  const withoutCasts = expr.replace(/::(character varying|double precision|timestamp with time zone|[a-z_]+)(\[\])?/gi, '');
  return (withoutCasts.match(/'[^']*'|[a-z_][a-z0-9_]*|>=|<=|<>|!=|=|>|</gi) ?? []).map((t) => t.toLowerCase());
}

function pgType(ds: DataSource, column: EntityMetadata['columns'][number]): string {
  return ds.driver.normalizeType(column);
}

describePg('schema parity: PostgreSQL catalog = TypeORM entity metadata', () => {
  let db: TestDatabase & { dataSource: DataSource };
  let metas: EntityMetadata[];
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<T[]>;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    metas = db.dataSource.entityMetadatas;
  });
  afterAll(async () => db?.drop());

  it('has exactly the entity tables, plus bookkeeping', async () => {
    const rows = await q<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(
      [...metas.map((m) => m.tableName), ...NON_ENTITY_TABLES].sort(),
    );
  });

  it('has the same columns: names, types, lengths, nullability and primary keys', async () => {
    const rows = await q<{
      table_name: string;
      column_name: string;
      data_type: string;
      character_maximum_length: number | null;
      is_nullable: 'YES' | 'NO';
    }>(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const pks = await q<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, kcu.column_name
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
        WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'`,
    );
    for (const meta of metas) {
      const actual = rows
        .filter((r) => r.table_name === meta.tableName)
        .map((r) => ({
          column: r.column_name,
          type: r.data_type,
          length: r.character_maximum_length === null ? null : String(r.character_maximum_length),
          nullable: r.is_nullable === 'YES',
        }))
        .sort((x, y) => x.column.localeCompare(y.column));
      const expected = meta.columns
        .map((c) => ({
          column: c.databaseName,
          type: pgType(db.dataSource, c),
          length: c.length ? String(c.length) : null,
          nullable: c.isNullable,
        }))
        .sort((x, y) => x.column.localeCompare(y.column));
      expect({ table: meta.tableName, columns: actual }).toEqual({ table: meta.tableName, columns: expected });

      const actualPk = pks.filter((p) => p.table_name === meta.tableName).map((p) => p.column_name).sort();
      expect({ table: meta.tableName, pk: actualPk }).toEqual({
        table: meta.tableName,
        pk: meta.primaryColumns.map((c) => c.databaseName).sort(),
      });
    }
  });

  it('has the same indexes: names, column order, uniqueness and partial predicates', async () => {
    // Indexes that back a constraint (primary key, UNIQUE) are compared with the constraints.
    const rows = await q<{ table_name: string; index_name: string; columns: string[]; is_unique: boolean; predicate: string | null }>(
      `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique,
              pg_get_expr(x.indpred, x.indrelid) AS predicate,
              ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS columns
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    // pg_indexes agrees with pg_index on which indexes exist.
    const viaView = await q<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    for (const r of rows) expect(viaView.map((v) => v.indexname)).toContain(r.index_name);

    let partial = 0;
    let composite = 0;
    for (const meta of metas) {
      const actual = rows
        .filter((r) => r.table_name === meta.tableName)
        .map((r) => ({ name: r.index_name, columns: r.columns, unique: r.is_unique, where: normalizeSql(r.predicate) }))
        .sort((x, y) => x.name.localeCompare(y.name));
      const expected = meta.indices
        .map((i) => ({
          name: i.name,
          columns: i.columns.map((c) => c.databaseName),
          unique: i.isUnique,
          where: normalizeSql(i.where || null),
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
      expect({ table: meta.tableName, indexes: actual }).toEqual({ table: meta.tableName, indexes: expected });
      partial += expected.filter((i) => i.where).length;
      composite += expected.filter((i) => i.columns.length > 1).length;
    }
    // The comparison covered partial and composite indexes, not only plain ones.
    expect(partial).toBeGreaterThanOrEqual(10);
    expect(composite).toBeGreaterThanOrEqual(10);
  });

  it('has the same UNIQUE constraints', async () => {
    const rows = await q<{ table_name: string; name: string; columns: string[] }>(
      `SELECT t.relname AS table_name, c.conname AS name,
              ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND c.contype = 'u'`,
    );
    for (const meta of metas) {
      const actual = rows
        .filter((r) => r.table_name === meta.tableName)
        .map((r) => ({ name: r.name, columns: [...r.columns].sort() }))
        .sort((x, y) => x.name.localeCompare(y.name));
      const expected = meta.uniques
        .map((u) => ({ name: u.name, columns: u.columns.map((c) => c.databaseName).sort() }))
        .sort((x, y) => x.name.localeCompare(y.name));
      expect({ table: meta.tableName, uniques: actual }).toEqual({ table: meta.tableName, uniques: expected });
    }
  });

  it('has the same foreign keys, composite tenant keys included, with their column pairing and ON DELETE', async () => {
    const rows = await q<{ table_name: string; name: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string; deferrable: boolean }>(
      `SELECT t.relname AS table_name, c.conname AS name, rt.relname AS ref_table,
              c.confdeltype AS on_delete, c.condeferrable AS deferrable,
              ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
              ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND c.contype = 'f'`,
    );
    // Compare column pairs, so that (root_id, parent_id) -> (root_id, id) cannot be confused with a swapped key.
    const pairs = (cols: string[], refs: string[]) => cols.map((c, i) => `${c}->${refs[i]}`).sort();
    let compositeTenantKeys = 0;
    for (const meta of metas) {
      const actual = rows
        .filter((r) => r.table_name === meta.tableName)
        .map((r) => ({
          name: r.name,
          ref: r.ref_table,
          pairs: pairs(r.columns, r.ref_columns),
          onDelete: FK_ACTIONS[r.on_delete],
          deferrable: r.deferrable,
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
      const expected = meta.foreignKeys
        .map((f) => ({
          name: f.name,
          ref: f.referencedEntityMetadata.tableName,
          pairs: pairs(f.columnNames, f.referencedColumnNames),
          onDelete: f.onDelete ?? 'NO ACTION',
          deferrable: false,
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
      expect({ table: meta.tableName, foreignKeys: actual }).toEqual({ table: meta.tableName, foreignKeys: expected });
      compositeTenantKeys += expected.filter((f) => f.pairs.includes('root_id->root_id')).length;
    }
    expect(compositeTenantKeys).toBeGreaterThanOrEqual(15);
  });

  it('has the same CHECK constraints, by name and by expression', async () => {
    const rows = await q<{ table_name: string; name: string; def: string }>(
      `SELECT t.relname AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND c.contype = 'c'`,
    );
    // PostgreSQL rewrites IN (...) as = ANY (ARRAY[...]) and adds casts; compare the tokens that matter.
    const ignored = new Set(['check', 'in', 'any', 'array']);
    const words = (s: string) =>
      tokens(s).join(' ').replace(/= any array/g, 'in').split(' ').filter((w) => !ignored.has(w)).sort();
    for (const meta of metas) {
      const actual = rows
        .filter((r) => r.table_name === meta.tableName)
        .map((r) => ({ name: r.name, words: words(r.def) }))
        .sort((x, y) => x.name.localeCompare(y.name));
      const expected = meta.checks
        .map((c) => ({ name: c.name, words: words(c.expression!) }))
        .sort((x, y) => x.name.localeCompare(y.name));
      expect({ table: meta.tableName, checks: actual }).toEqual({ table: meta.tableName, checks: expected });
    }
  });
});
