import { MigrationInterface, QueryRunner } from 'typeorm';
import { adoptLegacy } from './lib/legacy/adopt';
import { adoptionOptionsOf } from './lib/legacy/options';
import { engineOf } from './lib/table-spec';

/**
 * Adopts a Flask-era SQLite file: InitialSchema moved its tables aside as legacy_<name>;
 * this copies their rows into the new tables set-wise (root_id backfilled from the tree,
 * timestamps normalized, orphans repaired or quarantined, an owner assigned), prints a
 * verification report and drops the legacy tables. On any other database it does nothing.
 * Its output, tracing and test hook come from the runner's options (SafeRunOptions.adoption).
 */
export class AdoptLegacy1767225600001 implements MigrationInterface {
  name = 'AdoptLegacy1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'sqlite') return;
    await adoptLegacy(queryRunner, adoptionOptionsOf(queryRunner));
  }

  /** The legacy tables are gone once adopted: the way back is the backup taken before the run. */
  async down(): Promise<void> {}
}
