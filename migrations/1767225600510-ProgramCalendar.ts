import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeTable } from './lib/change-table';
import { createTables, dropTables, engineOf, fk, table } from './lib/table-spec';
import { enableTenantRls, TENANT_COLUMNS } from './lib/tenant-tables';

/** A session scheduled for one occurrence (a day on a date): the link from the program's plan to the practice. */
export const PROGRAM_DAY_SESSIONS = table('program_day_sessions', [
  ...TENANT_COLUMNS,
  { name: 'day_id', type: 'varchar', length: '36' },
  { name: 'session_id', type: 'varchar', length: '36' },
  { name: 'date', type: 'date' },
], {
  uniques: [{ name: 'uq_program_day_sessions_root_id', columnNames: ['root_id', 'id'] }],
  indices: [
    { name: 'idx_program_day_sessions_day', columnNames: ['root_id', 'day_id', 'date'] },
    { name: 'idx_program_day_sessions_root', columnNames: ['root_id'] },
    { name: 'idx_program_day_sessions_session', columnNames: ['root_id', 'session_id'] },
  ],
  foreignKeys: [
    fk('fk_program_day_sessions_day_id', ['root_id', 'day_id'], 'program_days', ['root_id', 'id'], 'CASCADE'),
    fk('fk_program_day_sessions_session_id', ['root_id', 'session_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
    fk('fk_program_day_sessions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
  ],
});

const MIN_TEMPLATES_CHECK = { name: 'ck_program_days_min_templates', expression: 'min_templates >= 0' };

/** The rows that answer an ETag. */
const VERSIONED = ['programs', 'program_blocks', 'program_days'];

/**
 * Programs over HTTP:
 * - programs, program_blocks and program_days get a version (their ETag);
 * - a day repeats on weekdays across its block (weekdays: 'mon,wed,fri'), or falls on one date,
 *   and needs min_templates of its templates done;
 * - each of a day's templates (scheduled_sessions) is required or optional, in order;
 * - program_day_sessions links the sessions scheduled for an occurrence to its day and date.
 *   A deleted session stays linked (its link is read through the live session only), so that
 *   restoring the session restores the occurrence's progress with it.
 */
export class ProgramCalendar1767225600510 implements MigrationInterface {
  name = 'ProgramCalendar1767225600510';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const pg = engineOf(queryRunner) === 'postgres';
    for (const t of VERSIONED) await q(`ALTER TABLE "${t}" ADD COLUMN "version" integer NOT NULL DEFAULT 1`);
    await q(`ALTER TABLE "program_days" ADD COLUMN "weekdays" varchar(32)`);
    await q(`ALTER TABLE "program_days" ADD COLUMN "min_templates" integer`);
    await changeTable(queryRunner, 'program_days', { addChecks: [MIN_TEMPLATES_CHECK] });
    // SQLite keeps a boolean default as 1, as TypeORM writes it for entities.
    await q(`ALTER TABLE "scheduled_sessions" ADD COLUMN "required" boolean NOT NULL DEFAULT ${pg ? 'true' : '1'}`);
    await q(`ALTER TABLE "scheduled_sessions" ADD COLUMN "sort_order" integer NOT NULL DEFAULT 0`);
    await createTables(queryRunner, [PROGRAM_DAY_SESSIONS]);
    await enableTenantRls(queryRunner, [PROGRAM_DAY_SESSIONS.name]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await dropTables(queryRunner, [PROGRAM_DAY_SESSIONS]);
    await q(`ALTER TABLE "scheduled_sessions" DROP COLUMN "sort_order"`);
    await q(`ALTER TABLE "scheduled_sessions" DROP COLUMN "required"`);
    await changeTable(queryRunner, 'program_days', { dropChecks: [MIN_TEMPLATES_CHECK] });
    await q(`ALTER TABLE "program_days" DROP COLUMN "min_templates"`);
    await q(`ALTER TABLE "program_days" DROP COLUMN "weekdays"`);
    for (const t of [...VERSIONED].reverse()) await q(`ALTER TABLE "${t}" DROP COLUMN "version"`);
  }
}
