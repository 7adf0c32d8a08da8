/**
 * Adopts a generated Flask-era file through the real migration path (guardedMigration:
 * backup, one transaction, checks) and prints the seconds and the peak RSS.
 *
 *   npx ts-node --transpile-only bench/legacy-generate.ts /tmp/fg-legacy-bench.db
 *   npx ts-node --transpile-only bench/legacy-adopt.ts /tmp/fg-legacy-bench.db
 *
 * The source file is copied first, so the benchmark can be run again on the same input
 * (KEEP=1 keeps the adopted copy and prints its path). FG_ADOPT_TRACE=1 prints each of the
 * adoption's statements with its seconds, to stderr.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdoptionReport } from '../migrations/lib/legacy/report';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';

async function main(): Promise<void> {
  const source = process.argv[2] ?? '/tmp/fg-legacy-bench.db';
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist: run bench/legacy-generate.ts first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-adopt-bench-'));
  const file = path.join(dir, 'goals.db');
  fs.copyFileSync(source, file);
  const memory = watchMemory();
  try {
    const config = loadConfig({ APP_ENV: 'development', DATABASE_PATH: file, LOG_LEVEL: 'silent' });
    const ds = createDataSource(config);
    const started = process.hrtime.bigint();
    const at = () => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1).padStart(6);
    // Each line of the runner's own account, stamped with the seconds since the start.
    let report: AdoptionReport | undefined;
    ds.safeRunOptions = {
      backupDir: path.join(dir, 'backups'),
      log: (line) => console.log(`[${at()} s] ${line}`),
      adoption: { onReport: (r) => (report = r), trace: process.env.FG_ADOPT_TRACE === '1' ? trace : undefined },
    };
    await ds.initialize();
    await ds.runMigrations();
    console.log(`[${at()} s] committed`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await ds.destroy();
    console.log(`[${at()} s] closed`);
    // ru_maxrss is the kernel's own peak for this process (KiB on Linux).
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const peaks = await memory.stop();
    console.log('');
    console.log(`Adopted ${source} (${(fs.statSync(source).size / 1e6).toFixed(0)} MB)`);
    console.log(`  migration:run total (open, backup, all migrations, checks, commit): ${seconds.toFixed(1)} s`);
    console.log(`  of which the adoption itself (inside the transaction, with its checks): ${report?.seconds.toFixed(1)} s`);
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    console.log(`  peak RSS: ${mib(maxRss)} (of which, sampled every 50 ms: process memory at most ${mib(peaks.anon)}, mapped file pages at most ${mib(peaks.file)})`);
  } finally {
    memory.child.kill();
    if (process.env.KEEP === '1') console.log(`Kept the adopted file: ${file}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function trace(sql: string, seconds: number): void {
  process.stderr.write(`[adopt trace] ${seconds.toFixed(2)} s ${sql.replace(/\s+/g, ' ').slice(0, 110)}\n`);
}

/**
 * Samples this process's RssAnon (its own memory) and RssFile (mapped pages of files, here the
 * database while the checks map it) from another process: better-sqlite3 blocks this event
 * loop for the length of each statement, so a timer here would miss the peaks.
 */
function watchMemory(): { child: ChildProcess; stop: () => Promise<{ anon: number; file: number }> } {
  const script = `
    const fs = require('fs');
    const peaks = { anon: 0, file: 0 };
    const read = () => {
      try {
        const s = fs.readFileSync('/proc/${process.pid}/status', 'utf8');
        peaks.anon = Math.max(peaks.anon, Number(/RssAnon:\\s+(\\d+)/.exec(s)[1]) * 1024);
        peaks.file = Math.max(peaks.file, Number(/RssFile:\\s+(\\d+)/.exec(s)[1]) * 1024);
      } catch {}
    };
    setInterval(read, 50);
    process.stdin.on('data', () => { read(); process.stdout.write(JSON.stringify(peaks)); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const stop = () =>
    new Promise<{ anon: number; file: number }>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.on('exit', () => resolve(JSON.parse(out || '{"anon":0,"file":0}')));
      child.stdin!.write('stop\n');
    });
  return { child, stop };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
