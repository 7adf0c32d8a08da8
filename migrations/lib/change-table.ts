import { QueryRunner, Table, TableCheck, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { engineOf, fk } from './table-spec';

export interface TableChange {
  addColumns?: TableColumnOptions[];
  dropColumns?: string[];
  addChecks?: { name: string; expression: string }[];
  dropChecks?: string[];
  addForeignKeys?: ReturnType<typeof fk>[];
  dropForeignKeys?: string[];
  addIndices?: { name: string; columnNames: string[]; isUnique?: boolean; where?: string }[];
  dropIndices?: string[];
}

/**
 * Changes an existing table in one step per engine. PostgreSQL takes each change as an
 * ALTER. SQLite cannot add a table constraint in place, so its table is rebuilt once for all
 * the changes together (TypeORM's own rebuild: copy, drop, rename, indexes again), instead of
 * once per change. The migration runner keeps foreign keys off during the rebuild, so that
 * dropping the old table cannot cascade to its children.
 */
export async function changeTable(queryRunner: QueryRunner, name: string, change: TableChange): Promise<void> {
  const table = await queryRunner.getTable(name);
  if (!table) throw new Error(`changeTable: no table ${name}`);
  if (engineOf(queryRunner) === 'sqlite') {
    const next = table.clone();
    for (const c of change.dropColumns ?? []) next.removeColumn(column(next, c));
    for (const n of change.dropChecks ?? []) next.removeCheckConstraint(check(next, n));
    for (const n of change.dropForeignKeys ?? []) next.removeForeignKey(foreignKey(next, n));
    for (const n of change.dropIndices ?? []) next.removeIndex(index(next, n));
    for (const c of change.addColumns ?? []) next.addColumn(new TableColumn(c));
    for (const c of change.addChecks ?? []) next.addCheckConstraint(new TableCheck(c));
    for (const f of change.addForeignKeys ?? []) next.addForeignKey(new TableForeignKey(f));
    for (const i of change.addIndices ?? []) next.addIndex(new TableIndex(i));
    // TypeORM names SQLite's keys back by the first declared key whose columns are a subset of
    // a key's columns: the one-column root key must come after the composite ones.
    next.foreignKeys.sort((a, b) => b.columnNames.length - a.columnNames.length);
    await (queryRunner as unknown as { recreateTable(next: Table, old: Table): Promise<void> }).recreateTable(next, table);
    return;
  }
  for (const n of change.dropIndices ?? []) await queryRunner.dropIndex(table, index(table, n));
  for (const n of change.dropForeignKeys ?? []) await queryRunner.dropForeignKey(table, foreignKey(table, n));
  for (const n of change.dropChecks ?? []) await queryRunner.dropCheckConstraint(table, check(table, n));
  for (const c of change.dropColumns ?? []) await queryRunner.dropColumn(table, column(table, c));
  if (change.addColumns?.length) await queryRunner.addColumns(table, change.addColumns.map((c) => new TableColumn(c)));
  for (const c of change.addChecks ?? []) await queryRunner.createCheckConstraint(table, new TableCheck(c));
  for (const f of change.addForeignKeys ?? []) await queryRunner.createForeignKey(table, new TableForeignKey(f));
  for (const i of change.addIndices ?? []) await queryRunner.createIndex(table, new TableIndex(i));
}

function find<T>(items: T[], match: (item: T) => boolean, what: string): T {
  const found = items.find(match);
  if (!found) throw new Error(`changeTable: no ${what}`);
  return found;
}
const column = (t: Table, n: string) => find(t.columns, (c) => c.name === n, `column ${t.name}.${n}`);
const check = (t: Table, n: string) => find(t.checks, (c) => c.name === n, `check ${n}`);
const foreignKey = (t: Table, n: string) => find(t.foreignKeys, (f) => f.name === n, `foreign key ${n}`);
const index = (t: Table, n: string) => find(t.indices, (i) => i.name === n, `index ${n}`);
