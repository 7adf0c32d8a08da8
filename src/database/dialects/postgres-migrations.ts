import { MigrationEngine } from './types';

/** Any fixed number: instances that migrate at once wait for each other on it. */
const LOCK_KEY = 725_001_001;

/**
 * What the migration runner does on PostgreSQL: only an advisory lock, so that two instances
 * starting together do not migrate at once. Its transactions are atomic for DDL already.
 */
export const postgresMigrations: MigrationEngine = {
  checkTarget: () => undefined,
  preflight: async () => undefined,
  backup: async () => undefined,
  prepare: async () => async () => undefined,
  async lock(qr) {
    await qr.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
  },
  verify: async () => '',
};
