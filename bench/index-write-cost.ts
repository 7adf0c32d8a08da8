/**
 * What one index costs a value write, alone: the hot write's UPDATE of one metric value (its own
 * transaction, WAL, synchronous = NORMAL, as the API runs it) on two copies of a bench file, one
 * without the index, alternating in rounds so that the machine's drift falls on both.
 *
 *   npx ts-node --transpile-only bench/index-write-cost.ts /tmp/fg-bench-M.db.json idx_metric_values_extremes [rounds=6] [writes=5000]
 *
 * The copies are made next to the file and removed at the end.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import type { Manifest } from './data';

function main(): void {
  const [manifestFile = '/tmp/fg-bench-M.db.json', index = 'idx_metric_values_extremes', roundsArg = '6', writesArg = '5000'] = process.argv.slice(2);
  const m: Manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const copies = { with: `${m.database}.with-index`, without: `${m.database}.without-index` };
  for (const file of Object.values(copies)) fs.copyFileSync(m.database, file);
  const open = (file: string) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return db;
  };
  const without = open(copies.without);
  if (!without.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(index)) throw new Error(`no index ${index} in ${m.database}`);
  without.exec(`DROP INDEX "${index}"`);
  const dbs = { with: open(copies.with), without };
  // The hot write's slots: the first value of each regular root's hot instance.
  const slots = m.roots.slice(10).map((r) => ({ root: r.rootId, instance: r.hotInstanceId, metric: r.hotMetricIds[0] }));
  const writes = Number(writesArg);
  const perWrite: Record<'with' | 'without', number[]> = { with: [], without: [] };
  try {
    for (let round = 0; round < Number(roundsArg); round++) {
      for (const kind of round % 2 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
        const db = dbs[kind];
        const ids = slots.map((s) => (db.prepare(`SELECT id FROM metric_values WHERE root_id = ? AND activity_instance_id = ? AND metric_definition_id = ? AND deleted_at IS NULL LIMIT 1`).get(s.root, s.instance, s.metric) as { id: string } | undefined)?.id);
        const update = db.prepare(`UPDATE metric_values SET value = ?, updated_at = strftime('%Y-%m-%d %H:%M:%f','now') WHERE root_id = ? AND id = ?`);
        const targets = slots.map((s, k) => ({ root: s.root, id: ids[k] })).filter((t): t is { root: string; id: string } => t.id !== undefined);
        const start = process.hrtime.bigint();
        for (let k = 0; k < writes; k++) {
          const t = targets[k % targets.length];
          update.run(Math.round(Math.random() * 10000) / 10, t.root, t.id);
        }
        perWrite[kind].push(Number(process.hrtime.bigint() - start) / 1000 / writes);
      }
    }
  } finally {
    for (const db of Object.values(dbs)) db.close();
    for (const file of Object.values(copies)) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`${index}: ${writes} writes a round, µs per write`);
  console.log(`  with    ${median(perWrite.with).toFixed(1)} (rounds ${fmt(perWrite.with)})`);
  console.log(`  without ${median(perWrite.without).toFixed(1)} (rounds ${fmt(perWrite.without)})`);
  console.log(`  the index costs ${(median(perWrite.with) - median(perWrite.without)).toFixed(1)} µs a write (${(((median(perWrite.with) / median(perWrite.without)) - 1) * 100).toFixed(1)}%)`);
}

main();
