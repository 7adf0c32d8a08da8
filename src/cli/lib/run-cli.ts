import 'reflect-metadata';
import { ConfigError, describeTarget, loadConfig } from '../../config/env';
import { createDataSource, SafeDataSource } from '../../database/data-source';

/** A refusal a server-side command reports in one line, with exit code 1 and no stack. */
export class CliError extends Error {}

type ErrorClass = new (...args: never[]) => Error;

/**
 * Runs a server-side command against the environment's database: says which database it
 * touches, and always closes it. A configuration problem exits with 2, a refusal with 1.
 * `refusals` are the service's own refusal errors, reported in one line like a CliError.
 */
export async function runCli(command: string, fn: (ds: SafeDataSource) => Promise<void>, refusals: ErrorClass[] = []): Promise<void> {
  try {
    let config;
    try {
      config = loadConfig();
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exitCode = 2;
        return;
      }
      throw err;
    }
    console.log(`${command} ${describeTarget(config)}`);
    const ds = createDataSource(config);
    await ds.initialize();
    try {
      await fn(ds);
    } finally {
      await ds.destroy();
    }
  } catch (err) {
    // A refusal is one line; anything unexpected keeps its stack.
    const refused = err instanceof CliError || refusals.some((r) => err instanceof r);
    console.error(refused ? (err as Error).message : err);
    process.exitCode = 1;
  }
}

/** The command's one argument, or the usage line and exit code 2. */
export function singleArgument(usage: string): string | undefined {
  const args = process.argv.slice(2);
  if (args.length !== 1 || !args[0].trim()) {
    console.error(`Usage: ${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  return args[0].trim();
}
