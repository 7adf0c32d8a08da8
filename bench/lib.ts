/** What the HTTP benchmarks share: server child processes, JSON calls, and alternating load rounds. */
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
export function startChild<M extends object>(
  script: string,
  mode: string,
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string; execArgv?: string[] } = {},
): Promise<M & { child: ChildProcess }> {
  const child = fork(script, [], {
    cwd: options.cwd,
    env: { ...process.env, ...env, BENCH_CHILD: mode },
    execArgv: [...(options.execArgv ?? []), ...process.execArgv],
    stdio: ['ignore', process.env.BENCH_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: M) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/**
 * BENCH_PIN=server,load (say 1,0): every server child on one CPU, this process (autocannon's
 * load) on the other, with taskset. Unpinned, the scheduler moves both servers between the two
 * CPUs, and on this machine the two run SQLite-heavy work at speeds up to 1.75x apart at times
 * (BENCHMARKS.md): ours and raw would not be measured on the same CPU. Returns what was done.
 */
export function pinCpus(children: ChildProcess[]): string {
  const spec = process.env.BENCH_PIN;
  if (!spec) return 'not pinned (BENCH_PIN unset)';
  const [server, load] = spec.split(',');
  // -a: every thread of the process (libuv's pool, V8's GC helpers), not only the main one.
  for (const child of children) execFileSync('taskset', ['-a', '-p', '-c', server, String(child.pid)], { stdio: 'ignore' });
  if (load !== undefined) execFileSync('taskset', ['-a', '-p', '-c', load, String(process.pid)], { stdio: 'ignore' });
  return `servers pinned to CPU ${server}${load !== undefined ? `, the load generator to CPU ${load}` : ''}`;
}

export function postJson(base: string, url: string, body: unknown, token?: string): Promise<any> {
  return fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then((r) => r.json());
}

async function hit(url: string, token: string, seconds: number, connections: number): Promise<{ perSecond: number; total: number }> {
  const result = await autocannon({ url, headers: { authorization: `Bearer ${token}` }, duration: seconds, connections });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { perSecond: result.requests.average, total: result.requests.total };
}

export interface Target {
  label: string;
  url: string;
  token: string;
  /** The server child, whose CPU time is read around each round. */
  child?: ChildProcess;
}

/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * A child's CPU time so far (user and system, all its threads), in microseconds, read from
 * /proc: any server process can be measured, whatever code it runs (the A/B benchmarks start
 * servers of an older checkout).
 */
export function cpuOf(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

export interface Round {
  /** Requests per second, as autocannon measured them. */
  perSecond: number;
  /**
   * The server process's CPU time per request, in microseconds: what a request costs whatever
   * else the machine is running, where throughput also measures the other processes' load.
   */
  cpuPerRequest?: number;
}

/** Warms each target up, then loads them in alternating rounds, so that drift hits all alike. */
export async function alternate(targets: Target[], { seconds, rounds, connections }: Options): Promise<Map<Target, Round[]>> {
  const results = new Map<Target, Round[]>(targets.map((t) => [t, []]));
  for (const t of targets) await hit(t.url, t.token, 2, connections);
  for (let i = 0; i < rounds; i++) {
    for (const t of targets) {
      const before = t.child ? cpuOf(t.child) : undefined;
      const { perSecond, total } = await hit(t.url, t.token, seconds, connections);
      const after = t.child ? cpuOf(t.child) : undefined;
      results.get(t)!.push({ perSecond, cpuPerRequest: before === undefined || after === undefined ? undefined : (after - before) / total });
    }
  }
  return results;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One line per target, then the cost of the first relative to the second. */
export function report(results: Map<Target, Round[]>, costOf: string): void {
  const [a, b] = [...results.entries()];
  for (const [t, rs] of results) {
    const cpu = rs.every((r) => r.cpuPerRequest !== undefined) ? `; CPU ${median(rs.map((r) => r.cpuPerRequest!)).toFixed(0)} µs/request (${rs.map((r) => r.cpuPerRequest!.toFixed(0)).join(', ')})` : '';
    console.log(`${t.label.padEnd(28)} ${mean(rs.map((r) => r.perSecond)).toFixed(0)} req/s  (${rs.map((r) => r.perSecond.toFixed(0)).join(', ')})${cpu}`);
  }
  const ratio = mean(a[1].map((r) => r.perSecond)) / mean(b[1].map((r) => r.perSecond));
  console.log(`${costOf} costs ${((1 - ratio) * 100).toFixed(1)}% of throughput (ratio ${ratio.toFixed(3)})`);
  if (a[1].every((r) => r.cpuPerRequest !== undefined) && b[1].every((r) => r.cpuPerRequest !== undefined)) {
    const ca = median(a[1].map((r) => r.cpuPerRequest!));
    const cb = median(b[1].map((r) => r.cpuPerRequest!));
    console.log(`${costOf} costs ${((1 - cb / ca) * 100).toFixed(1)}% of the server's CPU per request (median ${ca.toFixed(0)} against ${cb.toFixed(0)} µs)`);
  }
}

/**
 * Waits until the server has finished what the last load left in flight: autocannon stops at
 * the deadline, but a server still works through the requests it had accepted (seconds of them
 * for a slow route at 32 connections), and would charge them to the next measure.
 */
export async function settle(child: ChildProcess): Promise<void> {
  for (let last = cpuOf(child), i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = cpuOf(child);
    if (now - last < 10_000) return; // under 10 ms of CPU in 100 ms: idle
    last = now;
  }
}

export interface LoadResult extends Round {
  /** Requests that failed, timed out (30 s) or answered 5xx. */
  errors: number;
  /** autocannon's latency percentiles over the whole round, the connections' first requests included. */
  p50: number;
  p99: number;
  /**
   * The same percentiles over the requests sent once every connection had its first answer.
   * A Node server that is busy accepts a waiting connection about once per turn of its event
   * loop (a turn serves every request that arrived meanwhile), so when 32 connections open at
   * once against a saturated server, the last of them wait many turns for their first answer:
   * seconds, with any Node server (BENCHMARKS.md shows the raw baseline and a bare
   * node:http server doing the same). Those first requests are the round's p99.
   */
  steadyP50: number;
  steadyP99: number;
  /** When the last connection had its first answer, from the start of the round (ms). */
  rampMs: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : NaN);

/**
 * One round of autocannon over a list of requests (each connection cycles through them, so
 * the load spreads over many roots and users), with the server child's CPU time per request,
 * and each request's latency as seen from the connection (sent to answered; one request in
 * flight per connection).
 */
export async function load(url: string, requests: object[], seconds: number, connections: number, child?: ChildProcess): Promise<LoadResult> {
  if (child) await settle(child);
  const start = performance.now();
  const latencies: { sent: number; ms: number }[] = [];
  let answered = 0;
  let steadyFrom = Infinity;
  type Context = { sentAt?: number; answered?: boolean };
  type Req = { setupRequest?: (req: object, context: Context) => object; onResponse?: (...args: unknown[]) => void };
  const timed = (requests as Req[]).map((r) => ({
    ...r,
    setupRequest: (req: object, context: Context) => {
      context.sentAt = performance.now();
      return r.setupRequest ? r.setupRequest(req, context) : req;
    },
    onResponse: (status: number, body: string, context: Context) => {
      const now = performance.now();
      if (context.sentAt !== undefined) latencies.push({ sent: context.sentAt, ms: now - context.sentAt });
      if (!context.answered) {
        context.answered = true;
        if (++answered === connections) steadyFrom = now;
      }
      r.onResponse?.(status, body, context);
    },
  }));
  const before = child ? cpuOf(child) : undefined;
  const result = await autocannon({ url, requests: timed, duration: seconds, connections, timeout: 30 });
  const after = child ? cpuOf(child) : undefined;
  // A 4xx is the harness's mistake; a 5xx is the server's answer under this load, counted and shown.
  const codes = Object.keys(result.statusCodeStats ?? {}).map(Number);
  if (codes.some((c) => c >= 400 && c < 500)) throw new Error(`${url} ${JSON.stringify(requests[0]).slice(0, 100)}: ${JSON.stringify(result.statusCodeStats)}`);
  const steady = latencies.filter((l) => l.sent >= steadyFrom).map((l) => l.ms).sort((a, b) => a - b);
  return {
    errors: result.errors + result.timeouts + result.non2xx,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    steadyP50: percentile(steady, 50),
    steadyP99: percentile(steady, 99),
    rampMs: steadyFrom - start,
    cpuPerRequest: before === undefined || after === undefined ? undefined : (after - before) / result.requests.total,
  };
}
