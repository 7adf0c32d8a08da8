import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner, TableColumnOptions } from 'typeorm';
import { TABLES } from './1767225600000-InitialSchema';
import { createTables, dropTables, engineOf, fk, table, TableSpec } from './lib/table-spec';
import { insertAll, sqlOn, withoutForcedRls } from './lib/sql';
import { rebuildTable } from './lib/sqlite-schema';
import { TENANT_COLUMNS, enableTenantRls, sameColumns } from './lib/tenant-tables';


export const SECTION_TABLES = [
  table('session_template_sections', [
    ...TENANT_COLUMNS,
    { name: 'template_id', type: 'varchar', length: '36' },
    { name: 'position', type: 'integer' },
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'duration_minutes', type: 'integer', isNullable: true },
  ], {
    uniques: [{ name: 'uq_session_template_sections_root_id', columnNames: ['root_id', 'id'] }],
    checks: [{ name: 'ck_session_template_sections_duration', expression: 'duration_minutes >= 0 AND position >= 0' }],
    indices: [
      { name: 'idx_session_template_sections_root', columnNames: ['root_id'] },
      { name: 'ux_session_template_sections_position', columnNames: ['root_id', 'template_id', 'position'], isUnique: true, where: 'deleted_at IS NULL' },
    ],
    foreignKeys: [
      fk('fk_session_template_sections_template_id', ['root_id', 'template_id'], 'session_templates', ['root_id', 'id'], 'CASCADE'),
      fk('fk_session_template_sections_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('session_template_activities', [
    ...TENANT_COLUMNS,
    { name: 'section_id', type: 'varchar', length: '36' },
    { name: 'activity_id', type: 'varchar', length: '36' },
    { name: 'position', type: 'integer' },
  ], {
    checks: [{ name: 'ck_session_template_activities_position', expression: 'position >= 0' }],
    indices: [
      { name: 'idx_session_template_activities_activity', columnNames: ['root_id', 'activity_id'] },
      { name: 'idx_session_template_activities_root', columnNames: ['root_id'] },
      { name: 'ux_session_template_activities_position', columnNames: ['root_id', 'section_id', 'position'], isUnique: true, where: 'deleted_at IS NULL' },
    ],
    foreignKeys: [
      fk('fk_session_template_activities_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_session_template_activities_section_id', ['root_id', 'section_id'], 'session_template_sections', ['root_id', 'id'], 'CASCADE'),
      fk('fk_session_template_activities_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
];

const TEMPLATES_BEFORE: TableSpec = TABLES.find((t) => t.name === 'session_templates')!;
/** SQLite only (PostgreSQL ALTERs in place): template_data becomes legacy_template_data, nullable; a version. */
const TEMPLATES_AFTER: TableSpec = {
  ...TEMPLATES_BEFORE,
  columns: (engine) => [
    ...TEMPLATES_BEFORE.columns(engine).map(
      (c): TableColumnOptions => (c.name === 'template_data' ? { ...c, name: 'legacy_template_data', isNullable: true } : c),
    ),
    { name: 'version', type: 'integer', default: 1 },
  ],
};
const TEMPLATE_COLUMNS = TEMPLATES_BEFORE.columns('sqlite').map((c) => c.name);
const TOUCHED = ['session_templates', 'activity_definitions', ...SECTION_TABLES.map((t) => t.name)];

type Row = Record<string, any>;

/** The JSON of a template as the Flask app wrote it, or as a driver hands it back. */
function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const object = (v: unknown): Row | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : undefined);

/**
 * Session templates: sections become rows, so that the database itself keeps every planned
 * activity in the template's root (composite keys) and sections can be counted and joined.
 *
 * The JSON (`{sections: [{name, duration_minutes, activities|exercises: [{activity_id, name}]}]}`,
 * adopted files included) is converted section by section; it stays byte-equal in
 * legacy_template_data, which holds what the rows cannot (an activity id that names nothing in the
 * root, the names as they were). Rows of a soft-deleted template are taken by its deletion.
 * Down writes template_data back: the kept JSON for a template not changed since (version 1),
 * the JSON of its rows otherwise.
 */
export class TemplateSections1767225600301 implements MigrationInterface {
  name = 'TemplateSections1767225600301';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    if (engineOf(queryRunner) === 'sqlite') {
      await rebuildTable(queryRunner, TEMPLATES_AFTER, {
        ...sameColumns(TEMPLATE_COLUMNS.filter((c) => c !== 'template_data')),
        legacy_template_data: '"template_data"',
        version: '1',
      });
    } else {
      await q(`ALTER TABLE "session_templates" RENAME COLUMN "template_data" TO "legacy_template_data"`);
      await q(`ALTER TABLE "session_templates" ALTER COLUMN "legacy_template_data" DROP NOT NULL`);
      await q(`ALTER TABLE "session_templates" ADD "version" integer NOT NULL DEFAULT 1`);
    }
    await createTables(queryRunner, SECTION_TABLES);
    await enableTenantRls(queryRunner, SECTION_TABLES.map((t) => t.name));
    await withoutForcedRls(queryRunner, TOUCHED, () => this.convert(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await withoutForcedRls(queryRunner, TOUCHED, () => this.writeBack(queryRunner));
    await dropTables(queryRunner, SECTION_TABLES);
    if (engineOf(queryRunner) === 'sqlite') {
      await rebuildTable(queryRunner, TEMPLATES_BEFORE, {
        ...sameColumns(TEMPLATE_COLUMNS.filter((c) => c !== 'template_data')),
        template_data: '"legacy_template_data"',
      });
    } else {
      await q(`ALTER TABLE "session_templates" DROP COLUMN "version"`);
      await q(`ALTER TABLE "session_templates" ALTER COLUMN "legacy_template_data" SET NOT NULL`);
      await q(`ALTER TABLE "session_templates" RENAME COLUMN "legacy_template_data" TO "template_data"`);
    }
  }

  private async convert(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlOn(queryRunner);
    const templates = await sql(`SELECT id, root_id, legacy_template_data AS data, created_by, deleted_at, deletion_id FROM session_templates ORDER BY id`);
    if (templates.length === 0) return;
    const known = new Set((await sql(`SELECT root_id, id FROM activity_definitions`)).map((r) => `${r.root_id}/${r.id}`));
    const sections: unknown[][] = [];
    const activities: unknown[][] = [];
    const unconverted: string[] = [];
    for (const t of templates) {
      const data = parse(t.data);
      const raw = Array.isArray(data) ? data : list(object(data)?.sections);
      const stamp = [t.created_by, t.created_by, t.deleted_at, t.deletion_id, t.root_id];
      let position = 0;
      for (const [i, s] of raw.entries()) {
        const section = object(s);
        if (!section) {
          unconverted.push(`${t.id} section ${i}`);
          continue;
        }
        const id = randomUUID();
        const name = typeof section.name === 'string' && section.name.trim() ? section.name.trim().slice(0, 200) : `Section ${i + 1}`;
        const minutes = section.duration_minutes ?? section.durationMinutes;
        const duration = typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? Math.round(minutes) : null;
        sections.push([id, ...stamp, t.id, position++, name, duration]);
        let slot = 0;
        for (const item of [...list(section.activities), ...list(section.exercises)]) {
          const activityId = object(item)?.activity_id ?? object(item)?.activityId;
          if (typeof activityId === 'string' && known.has(`${t.root_id}/${activityId}`)) {
            activities.push([randomUUID(), ...stamp, id, activityId, slot++]);
          } else {
            unconverted.push(`${t.id} section ${i} activity ${String(activityId)}`);
          }
        }
      }
    }
    const stampColumns = 'created_by, updated_by, deleted_at, deletion_id, root_id';
    await insertAll(queryRunner, `session_template_sections (id, ${stampColumns}, template_id, position, name, duration_minutes)`, sections);
    await insertAll(queryRunner, `session_template_activities (id, ${stampColumns}, section_id, activity_id, position)`, activities);
    if (unconverted.length > 0) {
      console.log(
        `TemplateSections: ${unconverted.length} part(s) of template JSON name nothing in their root; they stay only in legacy_template_data: ` +
          unconverted.slice(0, 20).join('; ') +
          (unconverted.length > 20 ? ` ... and ${unconverted.length - 20} more` : ''),
      );
    }
  }

  private async writeBack(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlOn(queryRunner);
    const templates = await sql(`SELECT id, deletion_id, version, legacy_template_data AS data FROM session_templates`);
    const sections = await sql(
      `SELECT s.id, s.template_id, s.name, s.duration_minutes, s.deletion_id FROM session_template_sections s ORDER BY s.template_id, s.position`,
    );
    const planned = await sql(
      `SELECT p.section_id, p.activity_id, p.deletion_id, a.name FROM session_template_activities p
       JOIN activity_definitions a ON a.root_id = p.root_id AND a.id = p.activity_id ORDER BY p.section_id, p.position`,
    );
    for (const t of templates) {
      if (Number(t.version) === 1 && t.data !== null) continue;
      // The rows the template shows: live ones, or, for a deleted template, those its deletion took.
      const mine = (r: Row) => r.deletion_id === null || r.deletion_id === t.deletion_id;
      const own = sections.filter((s) => s.template_id === t.id && mine(s));
      const json = {
        sections: own.map((s) => ({
          name: s.name,
          duration_minutes: s.duration_minutes === null ? null : Number(s.duration_minutes),
          activities: planned.filter((p) => p.section_id === s.id && mine(p)).map((p) => ({ activity_id: p.activity_id, name: p.name })),
        })),
        total_duration_minutes: own.reduce((sum, s) => sum + Number(s.duration_minutes ?? 0), 0),
      };
      await sql(`UPDATE session_templates SET legacy_template_data = ? WHERE id = ?`, [JSON.stringify(json), t.id]);
    }
  }
}
