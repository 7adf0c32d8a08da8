/**
 * What the root-invariant CHECKs cost on a large adopted file, and what a rebuild of the goals
 * table would have cost instead (RootInvariants writes the CHECKs into the CREATE text).
 *
 *   npx ts-node --transpile-only bench/legacy-generate.ts /tmp/fg-legacy-bench.db
 *   KEEP=1 npx ts-node --transpile-only bench/legacy-adopt.ts /tmp/fg-legacy-bench.db   # with migrations up to 0060 only
 *   npx ts-node --transpile-only bench/root-invariants.ts <the kept adopted file>
 *
 * The file must be adopted but not yet at RootInvariants. It is copied first. Each round, on
 * the copy, in a transaction that is rolled back (foreign keys off, as the runner has them):
 * A runs RootInvariants.up(); B rebuilds the goals table the way TypeORM adds a CHECK
 * (createCheckConstraint), which is what A avoids. Then the real migration:run of the
 * pending migrations on the copy, with the runner's checks and the commit.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableCheck } from 'typeorm';
import { RootInvariants1767225600070 } from '../migrations/1767225600070-RootInvariants';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';

async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source || !fs.existsSync(source)) throw new Error('usage: bench/root-invariants.ts <adopted file, before RootInvariants>');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-root-invariants-'));
  const file = path.join(dir, 'goals.db');
  fs.copyFileSync(source, file);
  const config = loadConfig({ APP_ENV: 'development', DATABASE_PATH: file, LOG_LEVEL: 'silent' });
  try {
    const ds = createDataSource(config);
    await ds.initialize();
    const qr = ds.createQueryRunner();
    const [{ n: goals }] = await qr.query(`SELECT count(*) AS n FROM goals`);
    console.log(`${source}: ${goals} goals, ${(fs.statSync(file).size / 1e9).toFixed(2)} GB`);
    await qr.query('PRAGMA foreign_keys = OFF');
    await qr.query(`PRAGMA cache_size = ${-256 * 1024}`);
    const timed = async (label: string, work: () => Promise<void>) => {
      await qr.startTransaction();
      const started = process.hrtime.bigint();
      try {
        await work();
        console.log(`  ${label}: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s`);
      } finally {
        await qr.rollbackTransaction();
      }
    };
    const silent = console.log;
    for (let i = 1; i <= rounds; i++) {
      console.log(`round ${i}`);
      await timed('A: RootInvariants.up() (repairs, CHECKs written into the CREATE text)', async () => {
        console.log = () => undefined;
        try {
          await new RootInvariants1767225600070().up(qr);
        } finally {
          console.log = silent;
        }
      });
      await timed('B: rebuild of goals to add one CHECK (TypeORM createCheckConstraint)', async () => {
        await qr.createCheckConstraint('goals', new TableCheck({ name: 'ck_bench', expression: '1 = 1' }));
      });
    }
    await qr.query('PRAGMA foreign_keys = ON');
    await qr.release();
    await ds.destroy();

    const run = createDataSource(config);
    const started = process.hrtime.bigint();
    const at = () => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1).padStart(6);
    run.safeRunOptions = { backupDir: path.join(dir, 'backups'), log: (line) => console.log(`[${at()} s] ${line}`) };
    await run.initialize();
    await run.runMigrations();
    console.log(`[${at()} s] committed`);
    await run.destroy();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
