import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './db';

/** Runs the boundary tools (eslint.config.mjs, .dependency-cruiser.cjs) the way `npm run lint` does. */

const ROOT = path.resolve(__dirname, '../..');

function runNode(args: string[], options: { cwd: string; stdin?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function parseJson<T>(run: { code: number | null; stdout: string; stderr: string }, tool: string): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`${tool} exited ${run.code} without a JSON report:\n${run.stdout}\n${run.stderr}`);
  }
}

export interface LintMessage {
  /** Relative to the project root. */
  file: string;
  line: number;
  ruleId: string | null;
  message: string;
}

/** ESLint's messages for source text linted as if it were filePath, or for whole paths of the project. */
export async function eslint(
  target: { stdin: string; filePath: string } | { paths: string[] },
): Promise<LintMessage[]> {
  const bin = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
  const args = 'stdin' in target ? [bin, '--format', 'json', '--stdin', '--stdin-filename', target.filePath] : [bin, '--format', 'json', ...target.paths];
  const run = await runNode(args, {
    cwd: ROOT,
    stdin: 'stdin' in target ? target.stdin : undefined,
  });
  const results = parseJson<{ filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[]>(run, 'eslint');
  return results.flatMap((r) => r.messages.map((m) => ({ file: path.relative(ROOT, r.filePath), line: m.line, ruleId: m.ruleId, message: m.message })));
}

export interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}

/** dependency-cruiser's violations for the src/ folder under cwd, with the project's rules. */
export async function depcruise(cwd: string): Promise<Violation[]> {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const run = await runNode([bin, 'src', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: path.resolve(ROOT, cwd),
  });
  const result = parseJson<{ summary: { violations: Violation[] } }>(run, 'depcruise');
  return result.summary.violations.filter((v) => v.rule.severity !== 'ignore');
}

/** A throwaway folder holding the given files (paths relative to it). */
export function sourceTree(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = tempDir('fg-boundary-');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${text}\n`);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
