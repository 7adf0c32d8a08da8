/**
 * The tenancy pipeline before and after a change, in one run: the guarded and unguarded
 * servers of bench/tenancy-guard.ts from this checkout and from another one (an older commit,
 * checked out with its own node_modules), loaded in alternating rounds, so that the machine's
 * drift hits all four alike. Throughput and the server's CPU time per request are reported.
 *
 *   git worktree add --detach ../before <commit> && (cd ../before && npm ci)
 *   BEFORE=../before npx ts-node --transpile-only bench/tenancy-ab.ts
 *   BEFORE=../before DB_ENGINE=postgres npx ts-node --transpile-only bench/tenancy-ab.ts
 * Env: BENCH_SECONDS per round (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import * as path from 'node:path';
import { alternate, benchOptions, median, mean, Round, startChild, Target } from './lib';

type Served = { url: string; token: string };

async function servers(dir: string, label: string): Promise<Target[]> {
  const script = path.join(dir, 'bench/tenancy-guard.ts');
  const out: Target[] = [];
  for (const mode of ['guarded', 'unguarded']) {
    const s = await startChild<Served>(script, mode, {}, { cwd: dir });
    out.push({ label: `${label} ${mode}`, url: s.url, token: s.token, child: s.child });
  }
  return out;
}

function line(t: Target, rs: Round[]): string {
  const cpu = median(rs.map((r) => r.cpuPerRequest!));
  return `${t.label.padEnd(18)} ${mean(rs.map((r) => r.perSecond)).toFixed(0)} req/s (${rs.map((r) => r.perSecond.toFixed(0)).join(', ')}); CPU ${cpu.toFixed(0)} µs/request (${rs.map((r) => r.cpuPerRequest!.toFixed(0)).join(', ')})`;
}

function cost(results: Map<Target, Round[]>, guarded: Target, unguarded: Target): string {
  const g = results.get(guarded)!;
  const u = results.get(unguarded)!;
  const throughput = 1 - mean(g.map((r) => r.perSecond)) / mean(u.map((r) => r.perSecond));
  const cpuG = median(g.map((r) => r.cpuPerRequest!));
  const cpuU = median(u.map((r) => r.cpuPerRequest!));
  return `${(throughput * 100).toFixed(1)}% of throughput, ${((1 - cpuU / cpuG) * 100).toFixed(1)}% of CPU per request (${(cpuG - cpuU).toFixed(0)} µs)`;
}

async function main(): Promise<void> {
  const before = process.env.BEFORE;
  if (!before) throw new Error('BEFORE names the checkout to compare with (see the header of this file)');
  const options = benchOptions();
  const after = await servers(path.resolve(__dirname, '..'), 'after');
  const old = await servers(path.resolve(before), 'before');
  const targets = [old[0], old[1], after[0], after[1]];
  try {
    const results = await alternate(targets, options);
    console.log(`engine=${process.env.DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite'} connections=${options.connections} rounds=${options.rounds}x${options.seconds}s`);
    for (const t of targets) console.log(line(t, results.get(t)!));
    console.log(`before: the guards and the unit of work cost ${cost(results, old[0], old[1])}`);
    console.log(`after:  the guards and the unit of work cost ${cost(results, after[0], after[1])}`);
  } finally {
    for (const t of targets) t.child!.send('stop');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
