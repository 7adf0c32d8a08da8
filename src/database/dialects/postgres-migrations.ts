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
  // PostgreSQL keeps a table's triggers through every ALTER: only a new table can lack them.
  watch: async (qr) => async () => {
    if (!(await qr.query(`SELECT to_regclass('public.root_versions') IS NOT NULL AS present`))[0].present) return '';
    const missing: { name: string }[] = await qr.query(
      `SELECT c.table_name || '.' || op AS name
         FROM information_schema.columns c CROSS JOIN (VALUES ('insert'), ('update'), ('delete')) AS o(op)
        WHERE c.table_schema = 'public' AND c.column_name = 'root_id' AND c.table_name <> 'root_versions'
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = to_regclass('public.' || quote_ident(c.table_name)) AND t.tgname = 'trg_' || c.table_name || '_root_version_' || o.op)
        ORDER BY 1`,
    );
    if (missing.length > 0) {
      throw new Error(`tables with a root_id lack the triggers that move their roots' versions: ${missing.map((m) => m.name).join(', ')} (a new tenant table's migration calls trackRootVersions, migrations/lib/root-versions.ts)`);
    }
    // A migration's writes move their roots' tokens only at the commit, and only where a trigger
    // saw them: every root gets a new one, so that no answer kept before the run outlives it.
    await qr.query(`UPDATE root_versions SET version = nextval('root_version_seq')::text`);
    return '';
  },
  verify: async () => '',
};
