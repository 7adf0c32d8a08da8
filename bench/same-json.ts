/**
 * The raw baseline must answer the same JSON as the API: compared key by key, in order, with
 * only what the clock or the write itself changes set aside (updatedAt of a written value's
 * instance, ids of values a write inserted). A difference stops the benchmark.
 */
import { isDeepStrictEqual } from 'node:util';

const CLOCK = new Set(['activeSeconds', 'updatedAt']);

function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([k]) => !CLOCK.has(k)).map(([k, v]) => [k, strip(v)]));
  return x;
}

export function sameJson(ours: unknown, raw: unknown, what: string): void {
  const a = JSON.stringify(strip(ours));
  const b = JSON.stringify(strip(raw));
  if (a === b && isDeepStrictEqual(strip(ours), strip(raw))) {
    console.log(`same JSON from both servers: ${what}`);
    return;
  }
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  throw new Error(`${what}: the raw baseline answers other JSON, at character ${i}:\n ours ${a.slice(Math.max(0, i - 150), i + 150)}\n raw  ${b.slice(Math.max(0, i - 150), i + 150)}`);
}
