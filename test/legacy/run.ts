import * as fs from 'node:fs';
import { AdoptionReport } from '../../migrations/lib/legacy/report';
import { createMigratedDatabase, TestDatabase } from '../helpers/db';
import { normalizedSchema } from './fixtures';

export interface MigrationRun {
  executed: string[];
  report?: AdoptionReport;
  lines: string[];
  progress: string[];
  backups: string[];
}

/** Runs `migration:run` in process, through the same guarded runner as the CLI, capturing the adoption's output. */
export async function migrate(db: TestDatabase, options: { failAfter?: string } = {}): Promise<MigrationRun> {
  const lines: string[] = [];
  const progress: string[] = [];
  let report: AdoptionReport | undefined;
  const ds = db.newDataSource();
  ds.safeRunOptions = {
    ...ds.safeRunOptions,
    log: (l) => lines.push(l),
    adoption: {
      log: (l) => lines.push(l),
      progress: (p, s) => progress.push(`${Math.floor(p)}% ${s}`),
      onReport: (r) => (report = r),
      failAfter: options.failAfter,
    },
  };
  try {
    await ds.initialize();
    const executed = (await ds.runMigrations()).map((m) => m.name);
    const backups = fs.existsSync(db.backupDir) ? fs.readdirSync(db.backupDir) : [];
    return { executed, report, lines, progress, backups };
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

let freshSchema: string[] | undefined;

/** The schema of an empty database migrated from nothing, for comparison. */
export async function freshMigratedSchema(): Promise<string[]> {
  if (!freshSchema) {
    const db = await createMigratedDatabase();
    try {
      await db.dataSource.destroy();
      freshSchema = normalizedSchema(db.location);
    } finally {
      await db.drop();
    }
  }
  return freshSchema;
}

/**
 * Offsets where two SQLite files differ. Opening a file through the DataSource switches it to
 * WAL, which rewrites header bookkeeping only: 18-19 (format versions), 24-27 (change counter),
 * 92-95 (version-valid-for).
 */
export function differingBytes(a: Buffer, b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push(i);
  return out;
}
/** The header's journal-mode bytes (18, 19) and SQLite's change counter (24-27, 92-95). */
export const HEADER_BOOKKEEPING = [18, 19, 24, 25, 26, 27, 92, 93, 94, 95];
/** SQLite's change counter alone: a run switches the journal mode and back, which moves it. */
export const CHANGE_COUNTER = [24, 25, 26, 27, 92, 93, 94, 95];

/** The file as it is after the DataSource merely opened and closed it, with no migration. */
export async function openedOnly(db: TestDatabase): Promise<Buffer> {
  const ds = db.newDataSource();
  await ds.initialize();
  await ds.destroy();
  return fs.readFileSync(db.location);
}
