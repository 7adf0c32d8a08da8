import { QueryRunner } from 'typeorm';
import type { AdoptionOutput, AdoptionReport } from './report';

/**
 * What the caller of the migration runner may give the adoption (SafeRunOptions.adoption).
 * The runner puts it on the query runner it hands to every migration; none of it comes from
 * module state or the environment, so two runs in one process cannot see each other's.
 */
export interface AdoptionOptions extends Partial<AdoptionOutput> {
  /** Receives every statement and how long it took (the benchmark prints them). */
  trace?: (sql: string, seconds: number) => void;
  /** Receives the report once the adoption is done, before the runner's checks and commit. */
  onReport?: (report: AdoptionReport) => void;
  /** Only for tests: throw right after the named step, to prove that a failure changes nothing. */
  failAfter?: string;
}

/** QueryRunner.data is TypeORM's place for what a run shares with the code it runs. */
const KEY = 'adoption';

/**
 * Hands the options to the migrations that run on this query runner, until the returned
 * function is called. better-sqlite3 shares one query runner between all runs of a data
 * source, so the runner must take them back when its run ends.
 */
export function handAdoptionOptions(qr: QueryRunner, options: AdoptionOptions | undefined): () => void {
  qr.data = { ...qr.data, [KEY]: options };
  return () => {
    delete qr.data[KEY];
  };
}

export function adoptionOptionsOf(qr: QueryRunner): AdoptionOptions {
  return (qr.data?.[KEY] as AdoptionOptions | undefined) ?? {};
}
