import { loadConfig } from '../config/env';
import { purgeTrash, PurgeRefused } from '../database/trash-purge';
import { runCli } from './lib/run-cli';

/**
 * npm run trash:purge
 * Removes for good, in every root, the deletions older than TRASH_RETENTION_DAYS (default 30),
 * and reports what it removed per table and what it kept.
 */
void runCli(
  'trash:purge',
  async (ds) => {
    const days = loadConfig().trashRetentionDays;
    const report = await purgeTrash(ds, days);
    console.log(`Deletions older than ${days} days (before ${report.cutoff.toISOString()}): ${report.purged.length} purged, ${report.skipped.length} kept.`);
    for (const [table, count] of Object.entries(report.removed)) console.log(`  ${table}: ${count} rows removed`);
    for (const s of report.skipped) console.log(`  kept deletion ${s.deletionId} (root ${s.rootId}): ${s.reason}`);
  },
  [PurgeRefused],
);
