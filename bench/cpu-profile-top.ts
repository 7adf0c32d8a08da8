/**
 * Summarizes a .cpuprofile (node --cpu-prof): self time by function, and by where the code
 * lives (our src/ folders, each node_modules package, Node internals, SQLite's native calls
 * show as the better-sqlite3 frames that called them).
 *
 *   npx ts-node --transpile-only bench/cpu-profile-top.ts <file.cpuprofile> [top=25]
 */
import * as fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function where(url: string): string {
  if (!url) return '(native / VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src|bench|migrations)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2].replace(/\.ts$/, '')}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  const profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, k) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0)));
  let total = 0;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    total += us;
    const key = `${name}  ${n.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const place = where(n.callFrame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const top = Number(topArg ?? 25);
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`busy (not idle) ${(total / 1000).toFixed(0)} ms`);
  console.log('self time by place:');
  for (const [k, us] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
  console.log('self time by function:');
  for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
}

main();
