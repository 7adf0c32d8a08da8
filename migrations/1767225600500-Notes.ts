import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, dropTables, fk, table } from './lib/table-spec';
import { enableTenantRls, TENANT_COLUMNS } from './lib/tenant-tables';

/**
 * Notes in Markdown, each about one thing of its root (about_type, about_id). The subject is
 * one of five tables, so no composite (root_id, about_id) key can name it: the application
 * checks it, and the root key (ON DELETE CASCADE) keeps every note inside its tenant. Every
 * index begins with root_id.
 */
export const NOTES = table('notes', [
  ...TENANT_COLUMNS,
  { name: 'about_type', type: 'varchar', length: '20' },
  { name: 'about_id', type: 'varchar', length: '36' },
  { name: 'content', type: 'text' },
  { name: 'pinned', type: 'integer', default: 0 },
  { name: 'version', type: 'integer', default: 1 },
], {
  uniques: [{ name: 'uq_notes_root_id', columnNames: ['root_id', 'id'] }],
  checks: [
    { name: 'ck_notes_about_type', expression: `about_type IN ('root', 'goal', 'session', 'activity', 'instance')` },
    { name: 'ck_notes_pinned', expression: 'pinned IN (0, 1)' },
  ],
  indices: [
    { name: 'idx_notes_root', columnNames: ['root_id'] },
    { name: 'idx_notes_about', columnNames: ['root_id', 'about_id', 'pinned', 'created_at'] },
    { name: 'idx_notes_pinned', columnNames: ['root_id', 'pinned', 'created_at'] },
  ],
  foreignKeys: [fk('fk_notes_root', ['root_id'], 'goals', ['id'], 'CASCADE')],
});

/** The notes table, a tenant table with row-level security on PostgreSQL. */
export class Notes1767225600500 implements MigrationInterface {
  name = 'Notes1767225600500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, [NOTES]);
    await enableTenantRls(queryRunner, [NOTES.name]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, [NOTES]);
  }
}
