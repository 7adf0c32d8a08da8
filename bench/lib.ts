/** What the HTTP benchmarks share: server child processes, JSON calls, and alternating load rounds. */
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';

export interface Options {
  seconds: number;
  rounds: number;
  connections: number;
}

export function benchOptions(): Options {
  return {
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  };
}

/**
 * Forks `script` again as a server child (BENCH_CHILD=mode), so that the load generator in this
 * process shares neither server's event loop; resolves with the child's first message.
 */
export function startChild<M extends object>(script: string, mode: string, env: NodeJS.ProcessEnv = {}): Promise<M & { child: ChildProcess }> {
  const child = fork(script, [], {
    env: { ...process.env, ...env, BENCH_CHILD: mode },
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: M) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

export function postJson(base: string, url: string, body: unknown, token?: string): Promise<any> {
  return fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then((r) => r.json());
}

async function hit(url: string, token: string, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({ url, headers: { authorization: `Bearer ${token}` }, duration: seconds, connections });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export interface Target {
  label: string;
  url: string;
  token: string;
}

/** Warms each target up, then loads them in alternating rounds, so that drift hits all alike. */
export async function alternate(targets: Target[], { seconds, rounds, connections }: Options): Promise<Map<Target, number[]>> {
  const results = new Map<Target, number[]>(targets.map((t) => [t, []]));
  for (const t of targets) await hit(t.url, t.token, 2, connections);
  for (let i = 0; i < rounds; i++) {
    for (const t of targets) results.get(t)!.push(await hit(t.url, t.token, seconds, connections));
  }
  return results;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One line per target, then the cost of the first relative to the second. */
export function report(results: Map<Target, number[]>, costOf: string): void {
  const [a, b] = [...results.entries()];
  for (const [t, xs] of results) console.log(`${t.label.padEnd(28)} ${mean(xs).toFixed(0)} req/s  (${xs.map((x) => x.toFixed(0)).join(', ')})`);
  const ratio = mean(a[1]) / mean(b[1]);
  console.log(`${costOf} costs ${((1 - ratio) * 100).toFixed(1)}% of throughput (ratio ${ratio.toFixed(3)})`);
}
