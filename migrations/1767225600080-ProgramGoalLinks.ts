import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { MigrationInterface, QueryRunner, TableColumnOptions } from 'typeorm';
import { TABLES } from './1767225600000-InitialSchema';
import { APP_ROLE } from './1767225600010-RowLevelSecurity';
import { BLOCK_CHECKS } from './1767225600070-RootInvariants';
import { adoptionOptionsOf } from './lib/legacy/options';
import { adoptionOutput } from './lib/legacy/report';
import { sqlOn, withoutForcedRls } from './lib/sql';
import { editCreateSql, rebuildTable, withChecks } from './lib/sqlite-schema';
import { createTables, dropTables, engineOf, fk, table, TableSpec } from './lib/table-spec';
import { AUDITED_COLUMNS } from './lib/tenant-tables';


/** A link table: (root_id, holder) -> holder(root_id, id) and (root_id, goal_id) -> goals(root_id, id). */
function links(name: string, column: string, holder: string): TableSpec {
  return table(name, [
    ...AUDITED_COLUMNS,
    { name: 'root_id', type: 'varchar', length: '36' },
    { name: column, type: 'varchar', length: '36' },
    { name: 'goal_id', type: 'varchar', length: '36' },
    { name: 'sort_order', type: 'integer', default: 0 },
  ], {
    indices: [
      { name: `idx_${name}_${column === 'block_id' ? 'block' : 'program'}`, columnNames: [column] },
      { name: `idx_${name}_goal`, columnNames: ['goal_id'] },
      { name: `idx_${name}_root`, columnNames: ['root_id'] },
      { name: `ux_${name}_pair`, columnNames: [column, 'goal_id'], isUnique: true, where: 'deleted_at IS NULL' },
    ],
    // The root key last: see InitialSchema.
    foreignKeys: [
      fk(`fk_${name}_${column}`, ['root_id', column], holder, ['root_id', 'id'], 'CASCADE'),
      fk(`fk_${name}_goal_id`, ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk(`fk_${name}_root`, ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  });
}

export const LINK_TABLES = [links('program_goals', 'program_id', 'programs'), links('program_block_goals', 'block_id', 'program_blocks')];

interface Holder {
  table: 'programs' | 'program_blocks';
  links: string;
  column: string;
  /** goal_ids of a holder without links, on the way down. */
  empty: string | null;
}
const HOLDERS: Holder[] = [
  { table: 'programs', links: 'program_goals', column: 'program_id', empty: '[]' },
  { table: 'program_blocks', links: 'program_block_goals', column: 'block_id', empty: null },
];

const initial = (name: string) => TABLES.find((t) => t.name === name)!;
const withoutGoalIds = (spec: TableSpec, extra: Partial<TableSpec> = {}): TableSpec => ({
  ...spec,
  columns: (engine) => spec.columns(engine).filter((c: TableColumnOptions) => c.name !== 'goal_ids'),
  ...extra,
});
const PROGRAMS = withoutGoalIds(initial('programs'));
const BLOCKS = withoutGoalIds(initial('program_blocks'), { checks: [...(initial('program_blocks').checks ?? []), ...BLOCK_CHECKS] });

const TENANT_CLAUSE = `root_id = current_setting('app.root_id', true)`;
const BYPASS_CLAUSE = `(SELECT fg_rls_bypass_active())`;

/**
 * programs.goal_ids and program_blocks.goal_ids were JSON arrays of ids that nothing tied to
 * the row's root. They become the link tables program_goals and program_block_goals, whose
 * composite keys refuse a goal of another root, with sort_order keeping each list's order.
 * A link of a deleted program or block is deleted with it (same deleted_at and deletion id).
 *
 * A value that cannot become a link is kept in legacy_quarantine, source_table
 * '<table>.goal_ids', source_id the row's id, with the reason: an entry that names a goal of
 * another root, names no goal, is not a string or repeats an earlier one; a whole value that
 * is not a JSON array. down() puts goal_ids back from the links and those entries (the
 * original text, when nothing changed since), and removes the entries.
 */
export class ProgramGoalLinks1767225600080 implements MigrationInterface {
  name = 'ProgramGoalLinks1767225600080';

  async up(queryRunner: QueryRunner): Promise<void> {
    const pg = engineOf(queryRunner) === 'postgres';
    await createTables(queryRunner, LINK_TABLES);
    await withoutForcedRls(queryRunner, ['goals', 'programs', 'program_blocks'], async () => {
      for (const h of HOLDERS) await toLinks(queryRunner, h);
    });
    if (pg) {
      for (const h of HOLDERS) await queryRunner.query(`ALTER TABLE "${h.table}" DROP COLUMN "goal_ids"`);
      for (const spec of LINK_TABLES) await tenantSecurity(queryRunner, spec.name);
      return;
    }
    await rebuildTable(queryRunner, PROGRAMS, copyOf(PROGRAMS));
    await rebuildTable(queryRunner, BLOCKS, copyOf(BLOCKS));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const pg = engineOf(queryRunner) === 'postgres';
    if (pg) {
      for (const h of HOLDERS) await queryRunner.query(`ALTER TABLE "${h.table}" ADD COLUMN "goal_ids" json`);
    } else {
      const programs = initial('programs');
      await rebuildTable(queryRunner, programs, { ...copyOf(programs), goal_ids: `'[]'` });
      const blocks = initial('program_blocks');
      await rebuildTable(queryRunner, blocks, { ...copyOf(blocks), goal_ids: 'NULL' });
      await editCreateSql(queryRunner, 'program_blocks', (sql) => withChecks(sql, BLOCK_CHECKS));
    }
    await withoutForcedRls(queryRunner, ['programs', 'program_blocks', ...LINK_TABLES.map((t) => t.name)], async () => {
      for (const h of HOLDERS) await fromLinks(queryRunner, h);
    });
    if (pg) await queryRunner.query(`ALTER TABLE "programs" ALTER COLUMN "goal_ids" SET NOT NULL`);
    await dropTables(queryRunner, LINK_TABLES);
  }
}

/** Each column of the spec copied as it is. */
function copyOf(spec: TableSpec): Record<string, string> {
  return Object.fromEntries(spec.columns('sqlite').filter((c) => c.name !== 'goal_ids').map((c) => [c.name, `"${c.name}"`]));
}

async function tenantSecurity(qr: QueryRunner, name: string): Promise<void> {
  await qr.query(`ALTER TABLE "${name}" ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE "${name}" FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY fg_tenant ON "${name}" USING (${TENANT_CLAUSE}) WITH CHECK (${TENANT_CLAUSE})`);
  await qr.query(`CREATE POLICY fg_admin_bypass ON "${name}" USING (${BYPASS_CLAUSE}) WITH CHECK (${BYPASS_CLAUSE})`);
  await qr.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${name}" TO ${APP_ROLE}`);
}

interface HolderRow {
  id: string;
  root_id: string;
  goal_ids: unknown;
}

/** One value that did not become a link, as legacy_quarantine keeps it. */
interface Kept {
  id: string;
  root_id: string;
  goal_ids: unknown;
  index: number | null;
  value?: unknown;
}

async function toLinks(qr: QueryRunner, h: Holder): Promise<void> {
  const sql = sqlOn(qr);
  const pg = engineOf(qr) === 'postgres';
  const rows = await sql<HolderRow>(
    `SELECT id, root_id, ${pg ? 'goal_ids::text' : 'goal_ids'} AS goal_ids FROM "${h.table}" WHERE goal_ids IS NOT NULL ORDER BY id`,
  );
  const lists = new Map<string, unknown>();
  const named = new Set<string>();
  for (const row of rows) {
    const list = parse(row.goal_ids);
    lists.set(row.id, list);
    if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') named.add(v);
  }
  const rootOf = await goalRoots(sql, [...named]);

  let made = 0;
  let quarantined = 0;
  const keep = async (k: Kept, reason: string) => {
    quarantined++;
    await sql(
      `INSERT INTO legacy_quarantine (id, source_table, source_id, row_json, reason) VALUES (?, ?, ?, ?, ?)`,
      [randomUUID(), `${h.table}.goal_ids`, k.id, JSON.stringify(k), reason.slice(0, 500)],
    );
  };
  for (const row of rows) {
    const list = lists.get(row.id);
    const whole = { id: row.id, root_id: row.root_id, goal_ids: row.goal_ids, index: null };
    if (list === INVALID) {
      await keep(whole, 'goal_ids is not valid JSON');
      continue;
    }
    if (!Array.isArray(list)) {
      await keep(whole, 'goal_ids is not a JSON array of goal ids');
      continue;
    }
    const seen = new Set<string>();
    for (const [index, value] of list.entries()) {
      const k: Kept = { ...whole, index, value };
      const at = `goal_ids[${index}]`;
      if (typeof value !== 'string') await keep(k, `${at} is not a goal id: ${JSON.stringify(value)}`);
      else if (!rootOf.has(value)) await keep(k, `${at} names no goal: ${value}`);
      else if (rootOf.get(value) !== row.root_id) await keep(k, `${at} names a goal of another root: ${value} (root ${rootOf.get(value)})`);
      else if (seen.has(value)) await keep(k, `${at} repeats ${value}`);
      else {
        seen.add(value);
        made++;
        // The holder's audit and deletion columns, taken in SQL so that timestamps keep their precision.
        await sql(
          `INSERT INTO "${h.links}" (id, root_id, "${h.column}", goal_id, sort_order, created_by, updated_by, deleted_at, deletion_id)
           SELECT ?, root_id, id, ?, ?, updated_by, updated_by, deleted_at, deletion_id FROM "${h.table}" WHERE id = ?`,
          [randomUUID(), value, index, row.id],
        );
      }
    }
  }
  if (rows.length > 0) {
    const kept = quarantined ? `; ${quarantined} value(s) that name no goal of the row's root kept in legacy_quarantine (source_table ${h.table}.goal_ids)` : '';
    adoptionOutput(adoptionOptionsOf(qr)).log(`ProgramGoalLinks: ${h.table}.goal_ids of ${rows.length} row(s) became ${made} ${h.links} row(s)${kept}.`);
  }
}

const INVALID = Symbol('invalid JSON');

function parse(value: unknown): unknown {
  try {
    return JSON.parse(String(value));
  } catch {
    return INVALID;
  }
}

/** The root of each named goal that exists. */
async function goalRoots(sql: ReturnType<typeof sqlOn>, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await sql<{ id: string; root_id: string }>(`SELECT id, root_id FROM goals WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) out.set(r.id, r.root_id);
  }
  return out;
}

/** goal_ids again, from the live links (and a deleted holder's own) merged with the quarantined values by position. */
async function fromLinks(qr: QueryRunner, h: Holder): Promise<void> {
  const sql = sqlOn(qr);
  const entries = new Map<string, { index: number; value: unknown }[]>();
  const originals = new Map<string, unknown>();
  const wholes = new Map<string, unknown>();
  for (const e of await sql<{ source_id: string; row_json: string }>(`SELECT source_id, row_json FROM legacy_quarantine WHERE source_table = ?`, [`${h.table}.goal_ids`])) {
    const k = JSON.parse(e.row_json) as Kept;
    if (k.index === null) {
      wholes.set(e.source_id, k.goal_ids);
      continue;
    }
    originals.set(e.source_id, k.goal_ids);
    entries.set(e.source_id, [...(entries.get(e.source_id) ?? []), { index: k.index, value: k.value }]);
  }
  const linked = await sql<{ holder: string; goal_id: string; sort_order: number }>(
    `SELECT l."${h.column}" AS holder, l.goal_id, l.sort_order FROM "${h.links}" l JOIN "${h.table}" t ON t.id = l."${h.column}"
     WHERE l.deleted_at IS NULL OR l.deletion_id = t.deletion_id ORDER BY l.sort_order, l.id`,
  );
  for (const l of linked) entries.set(l.holder, [...(entries.get(l.holder) ?? []), { index: l.sort_order, value: l.goal_id }]);

  for (const [id, text] of wholes) await sql(`UPDATE "${h.table}" SET goal_ids = ? WHERE id = ?`, [text, id]);
  for (const [id, list] of entries) {
    if (wholes.has(id)) continue;
    const values = list.sort((a, b) => a.index - b.index).map((e) => e.value);
    const original = originals.get(id);
    // Byte-equal when the links are what they were: the text as it was, spacing included.
    const text = original !== undefined && isDeepStrictEqual(parse(original), values) ? original : JSON.stringify(values);
    await sql(`UPDATE "${h.table}" SET goal_ids = ? WHERE id = ?`, [text, id]);
  }
  if (h.empty !== null) await sql(`UPDATE "${h.table}" SET goal_ids = ? WHERE goal_ids IS NULL`, [h.empty]);
  await sql(`DELETE FROM legacy_quarantine WHERE source_table = ?`, [`${h.table}.goal_ids`]);
}
