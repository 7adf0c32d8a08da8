import { QueryRunner } from 'typeorm';
import { LEGACY_PREFIX } from '../legacy-stash';
import { UnsafeSwitch } from './keys-after';
import { AdoptionOptions } from './options';
import { AdoptionOutput, AdoptionReport } from './report';
import { detectShape, LegacyColumns } from './shape';
import { nowStamp, q } from './values';

type Row = Record<string, unknown>;

/** What every step works with: the legacy file's columns, one way to run SQL, and the report it fills. */
export class Adoption {
  /** One timestamp for everything the adoption writes, so that its rows can be found again. */
  readonly now = nowStamp();
  readonly report: AdoptionReport;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly qr: QueryRunner,
    /** The driver's connection: fillThenKey lifts its defensive mode for a moment. */
    readonly db: UnsafeSwitch,
    readonly cols: LegacyColumns,
    legacyIndexes: number | undefined,
    readonly out: AdoptionOutput,
    private readonly trace: AdoptionOptions['trace'],
  ) {
    this.report = {
      shape: detectShape(cols, legacyIndexes),
      counts: [],
      recovered: [],
      repairs: [],
      quarantined: [],
      owner: { email: '', created: false, placeholder: false, roots: 0 },
      nullRootIds: [],
      indexCount: 0,
      seconds: 0,
      steps: [],
    };
  }

  async sql<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!this.trace) return this.qr.query(text, params);
    const t = Date.now();
    const rows = await this.qr.query(text, params);
    this.trace(text, (Date.now() - t) / 1000);
    return rows;
  }

  async one<T = Row>(text: string, params: unknown[] = []): Promise<T> {
    return (await this.sql<T>(text, params))[0];
  }

  /** How many rows the last INSERT, UPDATE or DELETE changed. */
  async changes(): Promise<number> {
    return (await this.one<{ n: number }>('SELECT changes() AS n')).n;
  }

  /** A legacy table's rows, counted once: a count of the big tables takes most of a second. */
  async legacyCount(table: string): Promise<number> {
    let n = this.counts.get(table);
    if (n === undefined) {
      n = (await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${this.L(table)}`)).n;
      this.counts.set(table, n);
    }
    return n;
  }

  /** Whether this file has the legacy table, or the column in it. */
  has(table: string, col?: string): boolean {
    const c = this.cols.get(table);
    return col === undefined ? c !== undefined : (c?.includes(col) ?? false);
  }

  /** A legacy column of alias s, or NULL when this file's table does not have it. */
  c(table: string, col: string, alias = 's'): string {
    return this.has(table, col) ? `${alias}.${q(col)}` : 'NULL';
  }

  /** The quoted name of a legacy table, as InitialSchema moved it aside. */
  L(table: string): string {
    return q(LEGACY_PREFIX + table);
  }
}

export interface Step {
  name: string;
  /** Its share of the progress bar: the two big tables' steps weigh by their rows. */
  weight: number;
  run: () => Promise<unknown>;
}

/** Runs the steps in order, reporting progress and each step's seconds. */
export async function runSteps(a: Adoption, steps: Step[], failAfter: string | undefined): Promise<void> {
  const total = steps.reduce((sum, s) => sum + s.weight, 0);
  let done = 0;
  for (const { name, weight, run } of steps) {
    a.out.progress((done / total) * 100, name);
    const t = Date.now();
    await run();
    a.report.steps.push({ step: name, seconds: (Date.now() - t) / 1000 });
    done += weight;
    a.out.progress((done / total) * 100, name);
    if (failAfter === name) throw new Error(`Injected failure after step "${name}"`);
  }
}
