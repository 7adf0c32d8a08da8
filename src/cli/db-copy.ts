import { copyDatabase, CopyRefused } from '../database/dialects/copy';
import { parseArgs } from './lib/copy-args';

/**
 * npm run db:copy -- --from data/goals.db --to postgres://… [--batch-size 500]
 * Copies a migrated SQLite file into an empty PostgreSQL database and verifies it
 * (src/database/copy). Exit 0 when committed, 2 when refused, 1 on failure.
 */
void (async () => {
  try {
    await copyDatabase(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof CopyRefused ? `Refused: ${err.message}` : `Failed: ${(err as Error).message}`);
    process.exit(err instanceof CopyRefused ? 2 : 1);
  }
})();
