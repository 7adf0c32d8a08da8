import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTables, dropTables, engineOf, fk, table } from './lib/table-spec';

const APP_ROLE = 'fractal_app';
const OWNER_CLAUSE = `user_id = current_setting('app.user_id', true)`;

/**
 * Idempotency-Key records: per user and key, the request's fingerprint and the first
 * response, kept in the database so that every instance honours them. Not a tenant table
 * (POST /api/roots has no root yet): on PostgreSQL, RLS scopes it to app.user_id instead.
 */
export const IDEMPOTENCY_TABLES = [
  table('idempotency_keys', [
    { name: 'id', type: 'varchar', length: '36', isPrimary: true },
    { name: 'user_id', type: 'varchar', length: '36' },
    { name: 'key', type: 'varchar', length: '200' },
    { name: 'method', type: 'varchar', length: '10' },
    { name: 'path', type: 'varchar', length: '1000' },
    { name: 'fingerprint', type: 'varchar', length: '64' },
    { name: 'status_code', type: 'integer', isNullable: true },
    { name: 'response_body', type: 'text', isNullable: true },
    col('created_at', ({ ts, now }) => ({ type: ts, default: now })),
    col('expires_at', ({ ts }) => ({ type: ts })),
  ], {
    indices: [
      { name: 'ux_idempotency_keys_user_key', columnNames: ['user_id', 'key'], isUnique: true },
      { name: 'idx_idempotency_keys_expires', columnNames: ['expires_at'] },
    ],
    foreignKeys: [fk('fk_idempotency_keys_user', ['user_id'], 'users', ['id'], 'CASCADE')],
  }),
];

export class IdempotencyKeys1767225600020 implements MigrationInterface {
  name = 'IdempotencyKeys1767225600020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, IDEMPOTENCY_TABLES);
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY fg_owner ON idempotency_keys USING (${OWNER_CLAUSE}) WITH CHECK (${OWNER_CLAUSE})`);
    await queryRunner.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO ${APP_ROLE};
  END IF;
END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the table takes its policy and grants with it.
    await dropTables(queryRunner, IDEMPOTENCY_TABLES);
  }
}
