import { QueryRunner, Table, TableCheck, TableColumnOptions, TableForeignKey, TableIndex, TableUnique } from 'typeorm';

/**
 * Frozen helpers for writing migrations once for both engines with TypeORM's table API.
 * Migrations never import from src/: a migration must mean the same thing forever.
 */
export type Engine = 'sqlite' | 'postgres';

export function engineOf(queryRunner: QueryRunner): Engine {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TableSpec {
  name: string;
  columns: (engine: Engine) => TableColumnOptions[];
  uniques?: { name: string; columnNames: string[] }[];
  checks?: { name: string; expression: string }[];
  indices?: { name: string; columnNames: string[]; isUnique?: boolean; where?: string }[];
  foreignKeys?: ReturnType<typeof fk>[];
}

type ColumnFactory = (engine: Engine) => TableColumnOptions;

/** A column as table() takes it: fixed, or made per engine. */
export type ColumnSpec = TableColumnOptions | ColumnFactory;

export const tsType = (engine: Engine) => (engine === 'postgres' ? 'timestamptz' : 'datetime');
export const nowSql = (engine: Engine) =>
  engine === 'postgres' ? 'now()' : "strftime('%Y-%m-%d %H:%M:%f','now')";

/** A column whose type or default depends on the engine. */
export const col =
  (name: string, make: (e: { ts: string; now: string }) => Omit<TableColumnOptions, 'name'>): ColumnFactory =>
  (engine) => ({ name, ...make({ ts: tsType(engine), now: nowSql(engine) }) });

export const fk = (
  name: string,
  columnNames: string[],
  referencedTableName: string,
  referencedColumnNames: string[],
  onDelete: string,
) => ({ name, columnNames, referencedTableName, referencedColumnNames, onDelete });

/** Boolean defaults as each driver writes them for entities, so that schema:log sees no difference. */
function normalizeDefault(column: TableColumnOptions, engine: Engine): TableColumnOptions {
  if (typeof column.default !== 'boolean') return column;
  const value = engine === 'sqlite' ? (column.default ? '1' : '0') : String(column.default);
  return { ...column, default: value };
}

export function table(
  name: string,
  columns: ColumnSpec[],
  rest: Omit<TableSpec, 'name' | 'columns'> = {},
): TableSpec {
  return {
    name,
    columns: (engine) => columns.map((c) => normalizeDefault(typeof c === 'function' ? c(engine) : c, engine)),
    ...rest,
  };
}

export function buildTable(spec: TableSpec, engine: Engine, withForeignKeys: boolean): Table {
  return new Table({
    name: spec.name,
    columns: spec.columns(engine),
    uniques: (spec.uniques ?? []).map((u) => new TableUnique(u)),
    checks: (spec.checks ?? []).map((c) => new TableCheck(c)),
    indices: (spec.indices ?? []).map((i) => new TableIndex(i)),
    foreignKeys: withForeignKeys ? (spec.foreignKeys ?? []).map((f) => new TableForeignKey(f)) : [],
  });
}

/**
 * Creates the tables. SQLite takes foreign keys inline (adding one later would rebuild the
 * table); PostgreSQL needs every referenced table to exist first, so its keys come after.
 */
export async function createTables(queryRunner: QueryRunner, specs: TableSpec[]): Promise<void> {
  const engine = engineOf(queryRunner);
  const inline = engine === 'sqlite';
  for (const spec of specs) {
    await queryRunner.createTable(buildTable(spec, engine, inline), false, inline, true);
  }
  if (!inline) {
    for (const spec of specs) {
      if (spec.foreignKeys?.length) {
        await queryRunner.createForeignKeys(spec.name, spec.foreignKeys.map((f) => new TableForeignKey(f)));
      }
    }
  }
}

export async function dropTables(queryRunner: QueryRunner, specs: TableSpec[]): Promise<void> {
  const engine = engineOf(queryRunner);
  if (engine === 'postgres') {
    for (const spec of specs) {
      for (const f of spec.foreignKeys ?? []) await queryRunner.query(`ALTER TABLE "${spec.name}" DROP CONSTRAINT IF EXISTS "${f.name}"`);
    }
  }
  for (const spec of [...specs].reverse()) await queryRunner.dropTable(spec.name, true);
}

