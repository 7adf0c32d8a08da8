import { randomUUID } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { LEGACY_PREFIX, LEGACY_TABLES } from '../legacy-stash';
import { AdoptionReport, adoptionOutput, printReport, rememberReport, TableCount } from './report';
import { fillThenKey, UnsafeSwitch } from './keys-after';
import { detectShape, LegacyColumns, readLegacyColumns } from './shape';
import {
  boolBad, boolExpr, dateBad, dateExpr, intBad, intExpr, jsonBad, jsonExpr, nowStamp, q, realExpr,
  registerFunctions, tsBad, tsExpr, UUID_SQL,
} from './values';

export const GOAL_TYPES = [
  'UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal',
];

/** The tables that receive legacy rows; their indexes are rebuilt once after the bulk copy. */
const TARGET_TABLES = [
  'users', 'goals', 'session_templates', 'practice_session_goals', 'activity_groups', 'activity_definitions',
  'metric_definitions', 'split_definitions', 'activity_instances', 'metric_values', 'programs', 'program_blocks',
  'program_days', 'scheduled_sessions', 'legacy_quarantine',
];
export const TENANT_TABLES = TARGET_TABLES.filter((t) => t !== 'users' && t !== 'legacy_quarantine');

/** Only for tests: throw right after the named step, to prove that a failure changes nothing. */
export const adoptionTestHooks: { failAfter?: string } = {};

/** FG_ADOPT_TRACE=1 prints each statement's time (for the benchmark). */
const TRACE = process.env.FG_ADOPT_TRACE === '1';

export const PLACEHOLDER_OWNER_EMAIL = 'legacy-owner@fractal-goals.invalid';

type Row = Record<string, unknown>;

interface Spec {
  legacy: string;
  target: string;
  /** Joins after `FROM legacy_<table> s`; each must match at most one row. */
  joins?: string;
  /** [condition, reason] pairs: the first condition that holds sends the row to quarantine. */
  reasons: [string, string][];
  columns: [string, string][];
  sourceId?: string;
  order?: string;
  /** A big table: fill it keyless, then build its key indexes by sorting (fillThenKey). */
  keysAfter?: boolean;
}

class Adoption {
  readonly now = nowStamp();
  readonly cols: LegacyColumns;
  readonly report: AdoptionReport;
  private readonly out = adoptionOutput();
  private done = 0;
  private total = 1;

  constructor(private readonly qr: QueryRunner, private readonly db: UnsafeSwitch, cols: LegacyColumns) {
    this.cols = cols;
    this.report = {
      shape: detectShape(cols),
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

  // ---- small helpers -------------------------------------------------------------------------

  async sql<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!TRACE) return this.qr.query(text, params);
    const t = Date.now();
    const rows = await this.qr.query(text, params);
    process.stderr.write(`[adopt trace] ${((Date.now() - t) / 1000).toFixed(2)} s ${text.replace(/\s+/g, ' ').slice(0, 110)}\n`);
    return rows;
  }

  async one<T = Row>(text: string, params: unknown[] = []): Promise<T> {
    return (await this.sql<T>(text, params))[0];
  }

  async changes(): Promise<number> {
    return (await this.one<{ n: number }>('SELECT changes() AS n')).n;
  }

  private readonly counts = new Map<string, number>();

  /** A legacy table's rows, counted once: a count of the big tables takes most of a second. */
  async legacyCount(table: string): Promise<number> {
    let n = this.counts.get(table);
    if (n === undefined) {
      n = (await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${this.L(table)}`)).n;
      this.counts.set(table, n);
    }
    return n;
  }

  has(table: string, col?: string): boolean {
    const c = this.cols.get(table);
    return col === undefined ? c !== undefined : (c?.includes(col) ?? false);
  }

  /** A legacy column of alias s, or NULL when this file's table does not have it. */
  c(table: string, col: string, alias = 's'): string {
    return this.has(table, col) ? `${alias}.${q(col)}` : 'NULL';
  }

  L(table: string): string {
    return q(LEGACY_PREFIX + table);
  }

  rowJson(table: string, alias = 's'): string {
    const cols = this.cols.get(table)!;
    const parts = cols.map((c) => `'${c.replace(/'/g, "''")}', CASE WHEN typeof(${alias}.${q(c)}) = 'blob' THEN hex(${alias}.${q(c)}) ELSE ${alias}.${q(c)} END`);
    return `json_object(${parts.join(', ')})`;
  }

  async step<T>(name: string, weight: number, fn: () => Promise<T>): Promise<T> {
    this.out.progress((this.done / this.total) * 100, name);
    const t = Date.now();
    const result = await fn();
    this.report.steps.push({ step: name, seconds: (Date.now() - t) / 1000 });
    this.done += weight;
    this.out.progress((this.done / this.total) * 100, name);
    if (adoptionTestHooks.failAfter === name) throw new Error(`Injected failure after step "${name}"`);
    return result;
  }

  /** Timestamp reasons for each present column. */
  tsReasons(table: string, cols: string[]): [string, string][] {
    return cols.filter((c) => this.has(table, c)).map((c) => [tsBad(`s.${q(c)}`), `'${c} is not a readable timestamp: ' || quote(s.${q(c)})`]);
  }

  jsonReasons(table: string, cols: string[]): [string, string][] {
    return cols.filter((c) => this.has(table, c)).map((c) => [jsonBad(`s.${q(c)}`), `'${c} is not valid JSON'`]);
  }

  boolReasons(table: string, cols: string[]): [string, string][] {
    return cols.filter((c) => this.has(table, c)).map((c) => [boolBad(`s.${q(c)}`), `'${c} is not a boolean: ' || quote(s.${q(c)})`]);
  }

  intReasons(table: string, cols: string[]): [string, string][] {
    return cols.filter((c) => this.has(table, c)).map((c) => [intBad(`s.${q(c)}`), `'${c} is not an integer: ' || quote(s.${q(c)})`]);
  }

  /** id NULL, and duplicate ids when the legacy table did not enforce them. */
  async idReasons(table: string): Promise<[string, string][]> {
    const info: { name: string; pk: number }[] = await this.sql(`PRAGMA table_info(${this.L(table)})`);
    const pkCols = info.filter((c) => c.pk > 0).map((c) => c.name);
    const reasons: [string, string][] = [[`s.id IS NULL`, `'id is NULL'`]];
    if (!(pkCols.length === 1 && pkCols[0] === 'id')) {
      reasons.push([`s.rowid <> (SELECT min(d.rowid) FROM ${this.L(table)} d WHERE d.id = s.id)`, `'duplicate id (an earlier row has it)'`]);
    }
    return reasons;
  }

  /** Audit and soft-delete columns shared by every tenant table. */
  audit(table: string, fallbackCreated = 'NULL'): [string, string][] {
    const created = `COALESCE(${tsExpr(this.c(table, 'created_at'))}, ${fallbackCreated}, '${this.now}')`;
    const deleted = tsExpr(this.c(table, 'deleted_at'));
    return [
      ['created_at', created],
      ['updated_at', `COALESCE(${tsExpr(this.c(table, 'updated_at'))}, ${created})`],
      ['deleted_at', deleted],
      ['deletion_id', `CASE WHEN ${deleted} IS NOT NULL THEN ${UUID_SQL} END`],
    ];
  }

  /**
   * Moves one legacy table: the rows that meet the new constraints to the new table, the rest
   * to legacy_quarantine. The copy runs first; the (second) quarantine pass runs only when
   * some rows were not copied, so a clean table is read once.
   */
  async adopt(spec: Spec): Promise<TableCount> {
    const from = `FROM ${this.L(spec.legacy)} s ${spec.joins ?? ''}`;
    const reason = spec.reasons.length ? this.caseOf(spec.reasons) : 'NULL';
    const before = await this.legacyCount(spec.legacy);
    let kept = 0;
    const fill = async (target: string) => {
      await this.sql(
        `INSERT INTO ${q(target)} (${spec.columns.map(([c]) => q(c)).join(', ')})
         SELECT ${spec.columns.map(([, e]) => e).join(', ')} ${from} WHERE ${reason} IS NULL ${spec.order ?? 'ORDER BY s.rowid'}`,
      );
      kept = await this.changes();
    };
    if (spec.keysAfter) await fillThenKey((text, params) => this.sql(text, params), this.db, spec.target, spec.columns.map(([c]) => c), fill);
    else await fill(spec.target);
    let quarantined = 0;
    if (kept < before) {
      const sourceId = spec.sourceId ?? `CAST(s.id AS TEXT)`;
      await this.sql(
        `INSERT INTO legacy_quarantine (id, created_at, updated_at, source_table, source_id, row_json, reason)
         SELECT ${UUID_SQL}, '${this.now}', '${this.now}', '${spec.legacy}', ${sourceId}, ${this.rowJson(spec.legacy)}, substr(${reason}, 1, 500)
         ${from} WHERE ${reason} IS NOT NULL`,
      );
      quarantined = await this.changes();
    }
    const count = { table: spec.legacy, target: spec.target, before, kept, quarantined };
    if (kept + quarantined !== before) {
      throw new Error(`Reconciliation failed for ${spec.legacy}: ${kept} kept + ${quarantined} quarantined <> ${before} rows`);
    }
    this.report.counts.push(count);
    return count;
  }

  // ---- the steps -----------------------------------------------------------------------------

  async run(): Promise<AdoptionReport> {
    const started = Date.now();
    // Progress is weighted by rows: the two big tables dominate the time on large files.
    const sizes = new Map<string, number>();
    for (const t of ['activity_instances', 'metric_values']) {
      if (this.has(t)) sizes.set(t, (await this.legacyCount(t)) / 20_000);
    }
    const perRow = (t: string) => 1 + (sizes.get(t) ?? 0);
    this.perRow = perRow;
    this.total = 20 + perRow('activity_instances') + perRow('metric_values') - 2;
    // The page cache and sorter threads for the bulk copy are the migration runner's.
    await this.steps();
    this.report.seconds = (Date.now() - started) / 1000;
    this.out.progress(100, 'done');
    return this.report;
  }

  private async steps(): Promise<void> {
    const perRow = this.perRow;
    const indexes = await this.step('preparing', 1, () => this.dropTargetIndexes());
    await this.step('goals: root_id from the tree', 2, () => this.stageGoals());
    await this.step('session_templates', 1, () => this.templates());
    await this.step('activity_groups', 1, () => this.groups());
    await this.step('activity_definitions', 1, () => this.activities());
    await this.step('goals', 1, () => this.goals());
    await this.step('practice_session_goals', 1, () => this.sessionGoals());
    await this.step('metric_definitions', 1, () => this.definitions('metric_definitions'));
    await this.step('split_definitions', 1, () => this.definitions('split_definitions'));
    await this.step('activity_instances', perRow('activity_instances'), () => this.instances());
    await this.step('metric_values', perRow('metric_values'), () => this.values());
    await this.step('programs', 1, () => this.programs());
    await this.step('owner', 1, () => this.owner());
    await this.step('duplicate names', 1, () => this.dedupe());
    // The legacy tables go before the indexes are built, so that the indexes reuse their pages:
    // the adopted file keeps no free space (benchmark file: 2.36 GB instead of 3.17 GB, of which
    // 0.8 GB free). The time is a wash: integrity_check reads the indexes through the memory
    // map and runs about 5 s faster, and the index builds journal the pages they reuse, 2-3 s.
    await this.step('dropping legacy tables', 1, () => this.dropLegacy());
    await this.step('indexes', 1, () => this.recreateIndexes(indexes));
    await this.step('checks', 3, () => this.checks());
  }

  private perRow: (t: string) => number = () => 1;

  private async dropTargetIndexes(): Promise<{ name: string; sql: string }[]> {
    const list = TARGET_TABLES.map((t) => `'${t}'`).join(', ');
    const rows: { name: string; sql: string }[] = await this.sql(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list}) ORDER BY rowid`,
    );
    for (const r of rows) await this.sql(`DROP INDEX ${q(r.name)}`);
    return rows;
  }

  private async recreateIndexes(rows: { name: string; sql: string }[]): Promise<void> {
    for (const r of rows) await this.sql(r.sql);
  }

  /**
   * Every goal's root, set-wise: the legacy goals (and, in shape 1, practice_sessions) that
   * can be kept are staged in _g; a referenced parent or root that is gone is recreated as a
   * recovered goal; a recursive CTE finds each goal's top ancestor; a top's root is itself, or
   * the root its own legacy root_id leads to.
   */
  private async stageGoals(): Promise<void> {
    const T = 'goals';
    const typeList = GOAL_TYPES.map((t) => `'${t}'`).join(', ');
    await this.sql(`CREATE TEMP TABLE _g (src TEXT, rid INTEGER, id TEXT, parent_id TEXT, lr TEXT, type TEXT, created_at TEXT)`);
    const goalReasons: [string, string][] = [
      ...(await this.idReasons(T)),
      [`s.type IS NULL OR s.type NOT IN (${typeList})`, `'type is not a goal type: ' || quote(s.type)`],
      [`s.name IS NULL`, `'name is NULL'`],
      ...this.tsReasons(T, ['created_at', 'updated_at', 'deadline', 'deleted_at', 'session_start', 'session_end']),
      ...this.jsonReasons(T, ['targets', 'session_data', 'attributes']),
      ...this.boolReasons(T, ['completed']),
      ...this.intReasons(T, ['duration_minutes', 'total_duration_seconds', 'sort_order']),
      [`${intExpr(this.c(T, 'duration_minutes'))} < 0 OR ${intExpr(this.c(T, 'total_duration_seconds'))} < 0`, `'negative duration'`],
      [`${this.c(T, 'session_end')} IS NOT NULL AND ${this.c(T, 'session_start')} IS NOT NULL AND ${tsExpr(this.c(T, 'session_end'))} < ${tsExpr(this.c(T, 'session_start'))}`, `'session_end is before session_start'`],
    ];
    this.goalReasons = goalReasons;
    await this.quarantineOnly(T, goalReasons);
    await this.sql(
      `INSERT INTO _g SELECT 'goals', s.rowid, s.id, s.parent_id, ${this.c(T, 'root_id')}, s.type, ${tsExpr(this.c(T, 'created_at'))}
       FROM ${this.L(T)} s WHERE ${this.caseOf(goalReasons)} IS NULL`,
    );
    if (this.has('practice_sessions')) {
      const P = 'practice_sessions';
      const psReasons: [string, string][] = [
        ...(await this.idReasons(P)),
        [`EXISTS (SELECT 1 FROM ${this.L(T)} g WHERE g.id = s.id)`, `'its id is also a goal id'`],
        [`s.name IS NULL`, `'name is NULL'`],
        ...this.tsReasons(P, ['created_at', 'updated_at']),
        ...this.jsonReasons(P, ['session_data']),
        ...this.boolReasons(P, ['completed']),
        ...this.intReasons(P, ['duration_minutes']),
        [`${intExpr(this.c(P, 'duration_minutes'))} < 0`, `'negative duration'`],
      ];
      this.sessionReasons = psReasons;
      await this.quarantineOnly(P, psReasons);
      await this.sql(
        `INSERT INTO _g SELECT 'practice_sessions', s.rowid, s.id, NULL, ${this.c(P, 'root_id')}, 'PracticeSession', ${tsExpr(this.c(P, 'created_at'))}
         FROM ${this.L(P)} s WHERE ${this.caseOf(psReasons)} IS NULL`,
      );
    }
    await this.sql(`CREATE INDEX _g_id ON _g (id)`);
    await this.sql(`CREATE INDEX _g_parent ON _g (parent_id)`);

    // A parent that is gone comes back as a recovered goal one level above its highest child.
    const level = (x: string) => `(CASE ${x} ${GOAL_TYPES.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE 1 END)`;
    const typeAt = (x: string) => `(CASE ${x} ${GOAL_TYPES.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} ELSE 'UltimateGoal' END)`;
    await this.sql(
      `INSERT INTO _g SELECT 'recovered', NULL, c.parent_id, NULL, min(c.lr), ${typeAt(`max(min(${level('c.type')}) - 1, 0)`)}, min(c.created_at)
       FROM _g c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _g p WHERE p.id = c.parent_id) GROUP BY c.parent_id`,
    );
    for (const r of await this.sql<{ id: string; type: string }>(`SELECT id, type FROM _g WHERE src = 'recovered'`)) {
      this.report.recovered.push({ table: 'goals', id: r.id, name: `Recovered goal ${r.id}`, why: `parent of legacy goals, no longer in the file (recreated as ${r.type})` });
    }
    // A root named by legacy rows that is gone comes back as a recovered UltimateGoal.
    const rootRefs = ['session_templates', 'activity_groups', 'activity_definitions', 'programs']
      .filter((t) => this.has(t, 'root_id'))
      .map((t) => `SELECT root_id AS id FROM ${this.L(t)} WHERE root_id IS NOT NULL`);
    await this.sql(
      `INSERT INTO _g SELECT 'recovered-root', NULL, x.id, NULL, NULL, 'UltimateGoal', NULL FROM (
         SELECT lr AS id FROM _g WHERE lr IS NOT NULL ${rootRefs.map((r) => `UNION ${r}`).join(' ')}
       ) x WHERE NOT EXISTS (SELECT 1 FROM _g g WHERE g.id = x.id)`,
    );
    for (const r of await this.sql<{ id: string }>(`SELECT id FROM _g WHERE src = 'recovered-root'`)) {
      this.report.recovered.push({ table: 'goals', id: r.id, name: `Recovered root ${r.id}`, why: 'root_id of legacy rows, no longer in the file' });
    }

    await this.sql(
      `CREATE TEMP TABLE _gt AS WITH RECURSIVE chain(id, top) AS (
         SELECT id, id FROM _g WHERE parent_id IS NULL
         UNION ALL SELECT g.id, c.top FROM _g g JOIN chain c ON g.parent_id = c.id
       ) SELECT id, top FROM chain`,
    );
    await this.sql(`CREATE UNIQUE INDEX _gt_id ON _gt (id)`);
    await this.sql(`CREATE TEMP TABLE _troot (top TEXT PRIMARY KEY, root TEXT)`);
    await this.sql(
      `INSERT INTO _troot SELECT g.id, CASE WHEN g.lr IS NULL OR g.lr = g.id THEN g.id
         ELSE COALESCE((SELECT t.top FROM _gt t WHERE t.id = g.lr), g.id) END FROM _g g WHERE g.parent_id IS NULL`,
    );
    const follow = `(SELECT r.root FROM _troot r WHERE r.top = _troot.root)`;
    for (let i = 0; i < 20; i++) {
      await this.sql(`UPDATE _troot SET root = ${follow} WHERE root <> top AND ${follow} <> root`);
      if ((await this.changes()) === 0) break;
    }
    await this.sql(`UPDATE _troot SET root = top WHERE ${follow} <> root`);
    await this.sql(`CREATE TEMP TABLE _groot (id TEXT PRIMARY KEY, root_id TEXT NOT NULL, src TEXT, rid INTEGER)`);
    await this.sql(
      `INSERT INTO _groot SELECT g.id, tr.root, g.src, g.rid FROM _g g JOIN _gt t ON t.id = g.id JOIN _troot tr ON tr.top = t.top`,
    );
    // Goals in (or under) a parent cycle have no top: nothing to hang on.
    await this.sql(
      `INSERT INTO legacy_quarantine (id, created_at, updated_at, source_table, source_id, row_json, reason)
       SELECT ${UUID_SQL}, '${this.now}', '${this.now}', 'goals', CAST(s.id AS TEXT), ${this.rowJson(T)}, 'its parent chain forms a cycle'
       FROM ${this.L(T)} s JOIN _g g ON g.src = 'goals' AND g.rid = s.rowid WHERE NOT EXISTS (SELECT 1 FROM _groot r WHERE r.id = g.id)`,
    );
  }

  private goalReasons: [string, string][] = [];
  private sessionReasons: [string, string][] = [];

  private caseOf(reasons: [string, string][]): string {
    return `(CASE ${reasons.map(([c, r]) => `WHEN ${c} THEN ${r}`).join(' ')} END)`;
  }

  private async quarantineOnly(table: string, reasons: [string, string][]): Promise<void> {
    const reason = this.caseOf(reasons);
    await this.sql(
      `INSERT INTO legacy_quarantine (id, created_at, updated_at, source_table, source_id, row_json, reason)
       SELECT ${UUID_SQL}, '${this.now}', '${this.now}', '${table}', CAST(s.id AS TEXT), ${this.rowJson(table)}, substr(${reason}, 1, 500)
       FROM ${this.L(table)} s WHERE ${reason} IS NOT NULL`,
    );
  }

  /** Rows whose only parent is their root: a root_id that leads to a kept goal. */
  private rootOwned(table: string): { joins: string; reasons: [string, string][] } {
    if (!this.has(table, 'root_id')) {
      return { joins: 'LEFT JOIN _groot r ON 0', reasons: [['1', `'the table has no root_id column and nothing else ties it to a root'`]] };
    }
    return {
      joins: `LEFT JOIN _groot r ON r.id = s.root_id`,
      reasons: [
        [`s.root_id IS NULL`, `'root_id is NULL and nothing else ties it to a root'`],
        [`r.id IS NULL`, `'its root goal could not be kept'`],
      ],
    };
  }

  private async templates(): Promise<void> {
    const T = 'session_templates';
    if (!this.has(T)) return;
    const root = this.rootOwned(T);
    await this.adopt({
      legacy: T,
      target: T,
      joins: root.joins,
      reasons: [
        ...(await this.idReasons(T)),
        ...root.reasons,
        [`s.name IS NULL`, `'name is NULL'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
        ...this.jsonReasons(T, ['template_data']),
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T),
        ['root_id', 'r.root_id'],
        ['name', 's.name'],
        ['description', this.c(T, 'description')],
        ['template_data', jsonExpr(this.c(T, 'template_data'), `'{}'`)],
      ],
    });
  }

  private async groups(): Promise<void> {
    const T = 'activity_groups';
    if (!this.has(T)) return;
    const root = this.rootOwned(T);
    await this.adopt({
      legacy: T,
      target: T,
      joins: root.joins,
      reasons: [
        ...(await this.idReasons(T)),
        ...root.reasons,
        [`s.name IS NULL`, `'name is NULL'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
        ...this.intReasons(T, ['sort_order']),
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T),
        ['root_id', 'r.root_id'],
        ['name', 's.name'],
        ['description', this.c(T, 'description')],
        ['sort_order', `COALESCE(${intExpr(this.c(T, 'sort_order'))}, 0)`],
      ],
    });
  }

  private async activities(): Promise<void> {
    const T = 'activity_definitions';
    if (!this.has(T)) return;
    let root = this.rootOwned(T);
    if (!this.has(T, 'root_id') && this.has('activity_instances')) {
      // No root_id column: the root of the sessions that used the activity.
      await this.sql(
        `CREATE TEMP TABLE _adroot AS SELECT ai.activity_definition_id AS id, min(r.root_id) AS root_id
         FROM ${this.L('activity_instances')} ai JOIN _groot r ON r.id = ai.practice_session_id GROUP BY ai.activity_definition_id`,
      );
      root = {
        joins: `LEFT JOIN _adroot r ON r.id = s.id`,
        reasons: [[`r.root_id IS NULL`, `'no root_id column, and no session uses it to tell its root'`]],
      };
    }
    const group = this.has(T, 'group_id') && this.has('activity_groups')
      ? `(SELECT ag.id FROM activity_groups ag WHERE ag.id = s.group_id AND ag.root_id = r.root_id)`
      : 'NULL';
    if (group !== 'NULL') {
      const cleared = await this.sql<{ id: string; group_id: string }>(
        `SELECT s.id, s.group_id FROM ${this.L(T)} s ${root.joins} WHERE s.group_id IS NOT NULL AND r.root_id IS NOT NULL AND ${group} IS NULL`,
      );
      for (const x of cleared) this.report.repairs.push({ table: T, id: x.id, what: `group_id ${x.group_id} names no group of its root: cleared` });
    }
    await this.adopt({
      legacy: T,
      target: T,
      joins: root.joins,
      reasons: [
        ...(await this.idReasons(T)),
        ...root.reasons,
        [`s.name IS NULL`, `'name is NULL'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
        ...this.boolReasons(T, ['has_sets', 'has_metrics', 'metrics_multiplicative', 'has_splits']),
        ...this.intReasons(T, ['sort_order']),
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T),
        ['root_id', 'r.root_id'],
        ['group_id', group],
        ['name', 's.name'],
        ['description', this.c(T, 'description')],
        ['has_sets', boolExpr(this.c(T, 'has_sets'), 0)],
        ['has_metrics', boolExpr(this.c(T, 'has_metrics'), 1)],
        ['metrics_multiplicative', boolExpr(this.c(T, 'metrics_multiplicative'), 0)],
        ['has_splits', boolExpr(this.c(T, 'has_splits'), 0)],
        ['sort_order', `COALESCE(${intExpr(this.c(T, 'sort_order'))}, 0)`],
        ['recovered_from_legacy', '0'],
      ],
    });
  }

  private async goals(): Promise<void> {
    const T = 'goals';
    const template = (alias: string) =>
      `(SELECT t.id FROM session_templates t WHERE t.id = ${alias} AND t.root_id = r.root_id)`;
    await this.adoptGoalsFrom(T, this.goalReasons, [
      ['type', 's.type'],
      ['parent_id', 's.parent_id'],
      ['description', this.c(T, 'description')],
      ['deadline', tsExpr(this.c(T, 'deadline'))],
      ['completed', boolExpr(this.c(T, 'completed'), 0)],
      ['targets', jsonExpr(this.c(T, 'targets'))],
      ['sort_order', `COALESCE(${intExpr(this.c(T, 'sort_order'))}, 0)`],
      ['duration_minutes', intExpr(this.c(T, 'duration_minutes'))],
      ['session_start', tsExpr(this.c(T, 'session_start'))],
      ['session_end', tsExpr(this.c(T, 'session_end'))],
      ['total_duration_seconds', intExpr(this.c(T, 'total_duration_seconds'))],
      ['template_id', this.has(T, 'template_id') ? template('s.template_id') : 'NULL'],
      ['session_data', jsonExpr(this.c(T, 'session_data'))],
      ['attributes', jsonExpr(this.c(T, 'attributes'))],
    ]);
    if (this.has(T, 'template_id')) {
      const cleared = await this.sql<{ id: string; template_id: string }>(
        `SELECT s.id, s.template_id FROM ${this.L(T)} s JOIN _groot r ON r.src = 'goals' AND r.id = s.id
         WHERE s.template_id IS NOT NULL AND ${template('s.template_id')} IS NULL`,
      );
      for (const x of cleared) this.report.repairs.push({ table: T, id: x.id, what: `template_id ${x.template_id} names no template of its root: cleared` });
    }
    if (this.has('practice_sessions')) {
      const P = 'practice_sessions';
      await this.adoptGoalsFrom(P, this.sessionReasons, [
        ['type', `'PracticeSession'`],
        ['parent_id', 'NULL'],
        ['description', this.c(P, 'description')],
        ['completed', boolExpr(this.c(P, 'completed'), 0)],
        ['duration_minutes', intExpr(this.c(P, 'duration_minutes'))],
        ['session_data', jsonExpr(this.c(P, 'session_data'))],
      ]);
    }
    // Recovered goals: parents and roots that legacy rows name but the file no longer has.
    await this.sql(
      `INSERT INTO goals (id, created_at, updated_at, root_id, type, name, description, completed, sort_order, version)
       SELECT g.id, COALESCE(g.created_at, '${this.now}'), COALESCE(g.created_at, '${this.now}'), r.root_id, g.type,
         CASE g.src WHEN 'recovered' THEN 'Recovered goal ' ELSE 'Recovered root ' END || g.id,
         'Recreated by the legacy adoption: rows of the Flask-era file named this goal, which it no longer had.', 0, 0, 1
       FROM _g g JOIN _groot r ON r.id = g.id WHERE g.src IN ('recovered', 'recovered-root')`,
    );
  }

  private async adoptGoalsFrom(table: string, reasons: [string, string][], columns: [string, string][]): Promise<TableCount> {
    const before = await this.legacyCount(table);
    const all: [string, string][] = [
      ['id', 's.id'],
      ...this.audit(table),
      ['root_id', 'r.root_id'],
      ['name', 's.name'],
      ...columns,
      ['version', '1'],
    ];
    await this.sql(
      `INSERT INTO goals (${all.map(([c]) => q(c)).join(', ')}) SELECT ${all.map(([, e]) => e).join(', ')}
       FROM ${this.L(table)} s JOIN _groot r ON r.src = '${table}' AND r.rid = s.rowid ORDER BY s.rowid`,
    );
    const kept = await this.changes();
    const quarantined = (await this.one<{ n: number }>(`SELECT count(*) AS n FROM legacy_quarantine WHERE source_table = ?`, [table])).n;
    if (kept + quarantined !== before) {
      throw new Error(`Reconciliation failed for ${table}: ${kept} kept + ${quarantined} quarantined <> ${before} rows`);
    }
    const count = { table, target: 'goals', before, kept, quarantined };
    this.report.counts.push(count);
    return count;
  }

  private async sessionGoals(): Promise<void> {
    const T = 'practice_session_goals';
    if (!this.has(T)) return;
    const hasId = this.has(T, 'id');
    await this.adopt({
      legacy: T,
      target: T,
      joins: `LEFT JOIN goals g1 ON g1.id = s.practice_session_id LEFT JOIN goals g2 ON g2.id = s.short_term_goal_id`,
      sourceId: hasId
        ? `CAST(s.id AS TEXT)`
        : `CAST(s.practice_session_id AS TEXT) || '/' || CAST(s.short_term_goal_id AS TEXT)`,
      reasons: [
        [`s.practice_session_id IS NULL OR g1.id IS NULL`, `'its practice session is gone'`],
        [`s.short_term_goal_id IS NULL OR g2.id IS NULL`, `'its goal is gone'`],
        [`g1.root_id <> g2.root_id`, `'it links goals of two different roots'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
      ],
      columns: [
        // The legacy key was an integer (shape 1) or the pair itself; the new key is a UUID.
        ['id', UUID_SQL],
        ...this.audit(T, 'g1.created_at'),
        ['root_id', 'g1.root_id'],
        ['practice_session_id', 's.practice_session_id'],
        ['short_term_goal_id', 's.short_term_goal_id'],
      ],
    });
    if (hasId) {
      this.report.repairs.push({ table: T, id: '*', what: 'integer ids replaced by UUIDs (nothing referred to them)' });
    }
  }

  private async definitions(T: 'metric_definitions' | 'split_definitions'): Promise<void> {
    if (!this.has(T)) return;
    const metric = T === 'metric_definitions';
    await this.adopt({
      legacy: T,
      target: T,
      joins: `LEFT JOIN activity_definitions d ON d.id = s.activity_id`,
      reasons: [
        ...(await this.idReasons(T)),
        [`s.activity_id IS NULL OR d.id IS NULL`, `'its activity definition is gone'`],
        [`s.name IS NULL`, `'name is NULL'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
        ...(metric ? this.boolReasons(T, ['is_active', 'is_top_set_metric', 'is_multiplicative']) : []),
        ...this.intReasons(T, metric ? ['sort_order'] : ['order']),
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T, 'd.created_at'),
        ['root_id', 'd.root_id'],
        ['activity_id', 's.activity_id'],
        ['name', 's.name'],
        ...(metric
          ? ([
              ['unit', `COALESCE(${this.c(T, 'unit')}, '')`],
              ['is_active', boolExpr(this.c(T, 'is_active'), 1)],
              ['is_top_set_metric', boolExpr(this.c(T, 'is_top_set_metric'), 0)],
              ['is_multiplicative', boolExpr(this.c(T, 'is_multiplicative'), 1)],
              ['sort_order', `COALESCE(${intExpr(this.c(T, 'sort_order'))}, 0)`],
              ['recovered_from_legacy', '0'],
            ] as [string, string][])
          : ([['order', `COALESCE(${intExpr(this.c(T, 'order'))}, 0)`]] as [string, string][])),
      ],
    });
  }

  private async instances(): Promise<void> {
    const T = 'activity_instances';
    if (!this.has(T)) return;
    await this.adopt({
      legacy: T,
      target: T,
      keysAfter: true,
      joins: `LEFT JOIN goals g ON g.id = s.practice_session_id`,
      reasons: [
        ...(await this.idReasons(T)),
        [`s.practice_session_id IS NULL OR g.id IS NULL`, `'its practice session is gone'`],
        [`s.activity_definition_id IS NULL`, `'activity_definition_id is NULL'`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at', 'time_start', 'time_stop', 'paused_at']),
        ...this.intReasons(T, ['duration_seconds', 'total_paused_seconds', 'sort_order']),
        ...this.boolReasons(T, ['completed']),
        ...this.jsonReasons(T, ['data']),
        [`${intExpr(this.c(T, 'duration_seconds'))} < 0 OR ${intExpr(this.c(T, 'total_paused_seconds'))} < 0`, `'negative duration'`],
        [`${this.c(T, 'time_stop')} IS NOT NULL AND ${this.c(T, 'time_start')} IS NOT NULL AND ${tsExpr(this.c(T, 'time_stop'))} < ${tsExpr(this.c(T, 'time_start'))}`, `'time_stop is before time_start'`],
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T, 'g.created_at'),
        ['root_id', 'g.root_id'],
        ['practice_session_id', 's.practice_session_id'],
        ['activity_definition_id', 's.activity_definition_id'],
        ['time_start', tsExpr(this.c(T, 'time_start'))],
        ['time_stop', tsExpr(this.c(T, 'time_stop'))],
        ['duration_seconds', intExpr(this.c(T, 'duration_seconds'))],
        ['paused_at', tsExpr(this.c(T, 'paused_at'))],
        ['total_paused_seconds', `COALESCE(${intExpr(this.c(T, 'total_paused_seconds'))}, 0)`],
        ['completed', boolExpr(this.c(T, 'completed'), 0)],
        ['notes', this.c(T, 'notes')],
        ['data', jsonExpr(this.c(T, 'data'))],
        ['sort_order', `COALESCE(${intExpr(this.c(T, 'sort_order'))}, 0)`],
      ],
    });
    // An instance whose activity definition is gone (or lives in another root) gets a recovered,
    // archived one in its own root. Found on the copied rows: a scan with lookups in a small table.
    await this.sql(
      `CREATE TEMP TABLE _rav AS SELECT i.rowid AS rid, i.activity_definition_id AS old_id, i.root_id AS root_id, i.created_at AS created_at
       FROM activity_instances i
       WHERE NOT EXISTS (SELECT 1 FROM activity_definitions d WHERE d.root_id = i.root_id AND d.id = i.activity_definition_id)`,
    );
    const groups = await this.groupRecovered('_rav', '_ra', 'activity_definitions', ['old_id', 'root_id']);
    if (groups === 0) return;
    const archive = randomUUID();
    await this.sql(
      `INSERT INTO activity_definitions (id, created_at, updated_at, deleted_at, deletion_id, root_id, name, description, recovered_from_legacy)
       SELECT new_id, COALESCE(first_seen, '${this.now}'), '${this.now}', '${this.now}', '${archive}', root_id, 'Recovered activity ' || old_id,
         'Recreated (archived) by the legacy adoption for ' || n || ' activity instance(s) whose activity definition ' || old_id || ' no longer existed.', 1
       FROM _ra`,
    );
    for (const r of await this.sql<{ old_id: string; new_id: string; n: number }>(`SELECT old_id, new_id, n FROM _ra`)) {
      this.report.recovered.push({ table: 'activity_definitions', id: r.new_id, name: `Recovered activity ${r.old_id}`, why: `archived; ${r.n} instance(s) used the missing activity ${r.old_id}` });
    }
    await this.repoint('activity_instances', 'activity_definition_id', '_rav', '_ra', ['old_id', 'root_id']);
  }

  /** Groups the rows that need a recovered definition, one per key, and picks each one's id. */
  private async groupRecovered(rows: string, groups: string, target: string, key: string[]): Promise<number> {
    await this.sql(`CREATE INDEX ${rows}_key ON ${rows} (${key.join(', ')})`);
    await this.sql(`CREATE UNIQUE INDEX ${rows}_rid ON ${rows} (rid)`);
    await this.sql(
      `CREATE TEMP TABLE ${groups} AS SELECT ${key.join(', ')}, count(*) AS n, min(created_at) AS first_seen, CAST(NULL AS TEXT) AS new_id
       FROM ${rows} GROUP BY ${key.join(', ')}`,
    );
    await this.sql(`CREATE UNIQUE INDEX ${groups}_key ON ${groups} (${key.join(', ')})`);
    return this.recoverIds(groups, target);
  }

  /** Points the copied rows at their recovered definition where it could not keep the old id. */
  private async repoint(table: string, col: string, rows: string, groups: string, key: string[]): Promise<void> {
    const on = key.map((k) => `g.${k} = x.${k}`).join(' AND ');
    await this.sql(
      `UPDATE ${table} SET ${col} = (SELECT g.new_id FROM ${rows} x JOIN ${groups} g ON ${on} WHERE x.rid = ${table}.rowid)
       WHERE rowid IN (SELECT x.rid FROM ${rows} x JOIN ${groups} g ON ${on} WHERE g.new_id <> g.old_id)`,
    );
  }

  /**
   * Chooses the id of each recovered row: the old id itself when no row has it yet (the
   * first claim wins), otherwise a new UUID. Returns how many rows are to be recovered.
   */
  private async recoverIds(temp: string, target: string): Promise<number> {
    await this.sql(
      `UPDATE ${temp} SET new_id = CASE
         WHEN NOT EXISTS (SELECT 1 FROM ${q(target)} d WHERE d.id = ${temp}.old_id)
          AND ${temp}.rowid = (SELECT min(x.rowid) FROM ${temp} x WHERE x.old_id = ${temp}.old_id) THEN old_id
         ELSE ${UUID_SQL} END`,
    );
    return (await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${temp}`)).n;
  }

  private async values(): Promise<void> {
    const T = 'metric_values';
    if (!this.has(T)) return;
    await this.adopt({
      legacy: T,
      target: T,
      keysAfter: true,
      joins: `LEFT JOIN activity_instances ai ON ai.id = s.activity_instance_id`,
      reasons: [
        ...(await this.idReasons(T)),
        [`s.activity_instance_id IS NULL OR ai.id IS NULL`, `'its activity instance is gone'`],
        [`s.metric_definition_id IS NULL`, `'metric_definition_id is NULL'`],
        [`s.value IS NULL`, `'value is NULL'`],
        [`${realExpr('s.value')} IS NULL`, `'value is not a number: ' || quote(s.value)`],
        ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
      ],
      columns: [
        ['id', 's.id'],
        ...this.audit(T, 'ai.created_at'),
        ['root_id', 'ai.root_id'],
        ['activity_instance_id', 's.activity_instance_id'],
        ['metric_definition_id', 's.metric_definition_id'],
        ['split_definition_id', this.c(T, 'split_definition_id')],
        ['value', realExpr('s.value')],
      ],
    });
    // A value whose metric definition is gone keeps its history: a recovered, inactive definition
    // named after the old id, on the activity of the value's instance.
    await this.sql(
      `CREATE TEMP TABLE _rmv AS SELECT v.rowid AS rid, v.metric_definition_id AS old_id, ai.activity_definition_id AS activity_id,
         v.root_id AS root_id, ai.created_at AS created_at
       FROM metric_values v CROSS JOIN activity_instances ai ON ai.id = v.activity_instance_id
       WHERE NOT EXISTS (SELECT 1 FROM metric_definitions d WHERE d.root_id = v.root_id AND d.id = v.metric_definition_id)`,
    );
    const key = ['old_id', 'activity_id', 'root_id'];
    if ((await this.groupRecovered('_rmv', '_rm', 'metric_definitions', key)) > 0) {
      await this.sql(
        `INSERT INTO metric_definitions (id, created_at, updated_at, root_id, activity_id, name, unit, is_active, recovered_from_legacy)
         SELECT new_id, COALESCE(first_seen, '${this.now}'), '${this.now}', root_id, activity_id, 'Recovered metric ' || old_id, '', 0, 1 FROM _rm`,
      );
      for (const r of await this.sql<{ old_id: string; new_id: string; n: number; activity_id: string }>(`SELECT * FROM _rm`)) {
        this.report.recovered.push({ table: 'metric_definitions', id: r.new_id, name: `Recovered metric ${r.old_id}`, why: `inactive; ${r.n} value(s) of activity ${r.activity_id} used the missing metric ${r.old_id}` });
      }
      await this.repoint('metric_values', 'metric_definition_id', '_rmv', '_rm', key);
    }
    if (!this.has(T, 'split_definition_id')) return;
    await this.sql(
      `CREATE TEMP TABLE _rsv AS SELECT v.rowid AS rid, v.split_definition_id AS old_id, ai.activity_definition_id AS activity_id,
         v.root_id AS root_id, ai.created_at AS created_at
       FROM metric_values v CROSS JOIN activity_instances ai ON ai.id = v.activity_instance_id
       WHERE v.split_definition_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM split_definitions d WHERE d.root_id = v.root_id AND d.id = v.split_definition_id)`,
    );
    if ((await this.groupRecovered('_rsv', '_rs', 'split_definitions', key)) > 0) {
      const archive = randomUUID();
      await this.sql(
        `INSERT INTO split_definitions (id, created_at, updated_at, deleted_at, deletion_id, root_id, activity_id, name, "order")
         SELECT new_id, COALESCE(first_seen, '${this.now}'), '${this.now}', '${this.now}', '${archive}', root_id, activity_id, 'Recovered split ' || old_id, 0 FROM _rs`,
      );
      for (const r of await this.sql<{ old_id: string; new_id: string; n: number }>(`SELECT * FROM _rs`)) {
        this.report.recovered.push({ table: 'split_definitions', id: r.new_id, name: `Recovered split ${r.old_id}`, why: `archived; ${r.n} value(s) used the missing split ${r.old_id}` });
      }
      await this.repoint('metric_values', 'split_definition_id', '_rsv', '_rs', key);
    }
  }

  private async programs(): Promise<void> {
    let T = 'programs';
    if (this.has(T)) {
      const root = this.rootOwned(T);
      const start = tsExpr(this.c(T, 'start_date'));
      const end = tsExpr(this.c(T, 'end_date'));
      await this.adopt({
        legacy: T,
        target: T,
        joins: root.joins,
        reasons: [
          ...(await this.idReasons(T)),
          ...root.reasons,
          [`s.name IS NULL`, `'name is NULL'`],
          ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at', 'start_date', 'end_date']),
          [`${start} IS NULL`, `'start_date is NULL'`],
          [`${end} IS NULL`, `'end_date is NULL'`],
          [`${end} < ${start}`, `'end_date is before start_date'`],
          ...this.boolReasons(T, ['is_active']),
          ...this.jsonReasons(T, ['goal_ids', 'weekly_schedule']),
        ],
        columns: [
          ['id', 's.id'],
          ...this.audit(T),
          ['root_id', 'r.root_id'],
          ['name', 's.name'],
          ['description', this.c(T, 'description')],
          ['start_date', start],
          ['end_date', end],
          ['is_active', boolExpr(this.c(T, 'is_active'), 1)],
          ['goal_ids', jsonExpr(this.c(T, 'goal_ids'), `'[]'`)],
          ['weekly_schedule', jsonExpr(this.c(T, 'weekly_schedule'), `'{}'`)],
        ],
      });
    }
    T = 'program_blocks';
    if (this.has(T)) {
      await this.adopt({
        legacy: T,
        target: T,
        joins: `LEFT JOIN programs p ON p.id = s.program_id`,
        reasons: [
          ...(await this.idReasons(T)),
          [`s.program_id IS NULL OR p.id IS NULL`, `'its program is gone'`],
          [`s.name IS NULL`, `'name is NULL'`],
          ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
          [dateBad(this.c(T, 'start_date')), `'start_date is not a date: ' || quote(s.start_date)`],
          [dateBad(this.c(T, 'end_date')), `'end_date is not a date: ' || quote(s.end_date)`],
          ...this.jsonReasons(T, ['goal_ids']),
        ],
        columns: [
          ['id', 's.id'],
          ...this.audit(T, 'p.created_at'),
          ['root_id', 'p.root_id'],
          ['program_id', 's.program_id'],
          ['name', 's.name'],
          ['start_date', dateExpr(this.c(T, 'start_date'))],
          ['end_date', dateExpr(this.c(T, 'end_date'))],
          ['color', this.c(T, 'color')],
          ['goal_ids', jsonExpr(this.c(T, 'goal_ids'))],
        ],
      });
    }
    T = 'program_days';
    if (this.has(T)) {
      await this.adopt({
        legacy: T,
        target: T,
        joins: `LEFT JOIN program_blocks b ON b.id = s.block_id`,
        reasons: [
          ...(await this.idReasons(T)),
          [`s.block_id IS NULL OR b.id IS NULL`, `'its program block is gone'`],
          ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
          [dateBad(this.c(T, 'date')), `'date is not a date: ' || quote(s.date)`],
          ...this.intReasons(T, ['day_number']),
        ],
        columns: [
          ['id', 's.id'],
          ...this.audit(T, 'b.created_at'),
          ['root_id', 'b.root_id'],
          ['block_id', 's.block_id'],
          ['date', dateExpr(this.c(T, 'date'))],
          ['day_number', intExpr(this.c(T, 'day_number'))],
          ['name', this.c(T, 'name')],
          ['notes', this.c(T, 'notes')],
        ],
      });
    }
    T = 'scheduled_sessions';
    if (this.has(T)) {
      const template = this.has(T, 'session_template_id')
        ? `(SELECT t.id FROM session_templates t WHERE t.id = s.session_template_id AND t.root_id = d.root_id)`
        : 'NULL';
      if (template !== 'NULL') {
        const cleared = await this.sql<{ id: string; session_template_id: string }>(
          `SELECT s.id, s.session_template_id FROM ${this.L(T)} s JOIN program_days d ON d.id = s.day_id
           WHERE s.session_template_id IS NOT NULL AND ${template} IS NULL`,
        );
        for (const x of cleared) this.report.repairs.push({ table: T, id: x.id, what: `session_template_id ${x.session_template_id} names no template of its root: cleared` });
      }
      await this.adopt({
        legacy: T,
        target: T,
        joins: `LEFT JOIN program_days d ON d.id = s.day_id`,
        reasons: [
          ...(await this.idReasons(T)),
          [`s.day_id IS NULL OR d.id IS NULL`, `'its program day is gone'`],
          ...this.tsReasons(T, ['created_at', 'updated_at', 'deleted_at']),
          ...this.boolReasons(T, ['is_completed']),
        ],
        columns: [
          ['id', 's.id'],
          ...this.audit(T, 'd.created_at'),
          ['root_id', 'd.root_id'],
          ['day_id', 's.day_id'],
          ['session_template_id', template],
          ['is_completed', boolExpr(this.c(T, 'is_completed'), 0)],
          ['completion_data', this.c(T, 'completion_data')],
        ],
      });
    }
  }

  /** The legacy roots' owner: LEGACY_OWNER_EMAIL (created when missing), else a disabled placeholder. */
  private async owner(): Promise<void> {
    const named = (process.env.LEGACY_OWNER_EMAIL ?? '').trim().toLowerCase();
    if (named && !/^[^\s@]+@[^\s@]+$/.test(named)) {
      throw new Error(`LEGACY_OWNER_EMAIL is not an email address: ${JSON.stringify(process.env.LEGACY_OWNER_EMAIL)}`);
    }
    const email = named || PLACEHOLDER_OWNER_EMAIL;
    const existing = await this.sql<{ id: string }>(`SELECT id FROM users WHERE email = ?`, [email]);
    let id = existing[0]?.id;
    if (!id) {
      id = randomUUID();
      await this.sql(
        `INSERT INTO users (id, created_at, updated_at, email, display_name, password_hash, role, is_active)
         VALUES (?, ?, ?, ?, ?, NULL, 'user', ?)`,
        [id, this.now, this.now, email, named ? null : 'Legacy owner (unclaimed)', named ? 1 : 0],
      );
    }
    await this.sql(`UPDATE goals SET user_id = ? WHERE id = root_id AND parent_id IS NULL AND user_id IS NULL`, [id]);
    const roots = await this.changes();
    this.report.owner = { email, created: !existing[0], placeholder: !named, roots };
  }

  /**
   * Names the new partial unique indexes forbid twice: later rows (by created_at) get a
   * numbered suffix, and the report lists every rename. Duplicate session-goal links are
   * soft-deleted instead, so that the rows themselves stay.
   */
  private async dedupe(): Promise<void> {
    const groups: [string, string, string][] = [
      ['goals', 'user_id', 'user_id IS NOT NULL'],
      ['session_templates', 'root_id', '1'],
      ['activity_groups', 'root_id', '1'],
      ['activity_definitions', 'root_id', '1'],
      ['metric_definitions', 'activity_id', '1'],
      ['split_definitions', 'activity_id', '1'],
    ];
    for (const [table, scope, where] of groups) {
      for (let round = 0; round < 10; round++) {
        const dupes = await this.sql<{ id: string; name: string; rn: number }>(
          `SELECT id, name, rn FROM (
             SELECT id, name, ROW_NUMBER() OVER (PARTITION BY ${scope}, name ORDER BY created_at, id) AS rn
             FROM ${table} WHERE deleted_at IS NULL AND ${where}
           ) WHERE rn > 1`,
        );
        if (dupes.length === 0) break;
        for (const d of dupes) {
          const renamed = `${d.name} (${d.rn})`;
          await this.sql(`UPDATE ${table} SET name = ? WHERE id = ?`, [renamed, d.id]);
          this.report.repairs.push({ table, id: d.id, what: `duplicate name "${d.name}" renamed to "${renamed}"` });
        }
      }
    }
    const deletion = randomUUID();
    await this.sql(
      `UPDATE practice_session_goals SET deleted_at = '${this.now}', deletion_id = '${deletion}' WHERE id IN (
         SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY practice_session_id, short_term_goal_id ORDER BY created_at, rowid) AS rn
                         FROM practice_session_goals WHERE deleted_at IS NULL) WHERE rn > 1)`,
    );
    const n = await this.changes();
    if (n > 0) this.report.repairs.push({ table: 'practice_session_goals', id: '*', what: `${n} duplicate link(s) soft-deleted (deletion ${deletion})` });
  }

  private async dropLegacy(): Promise<void> {
    for (const t of [...LEGACY_TABLES].reverse()) {
      if (this.has(t)) await this.sql(`DROP TABLE ${this.L(t)}`);
    }
    for (const t of ['_g', '_gt', '_troot', '_groot', '_adroot', '_rav', '_ra', '_rmv', '_rm', '_rsv', '_rs']) await this.sql(`DROP TABLE IF EXISTS temp.${t}`);
  }

  private async checks(): Promise<void> {
    for (const t of TENANT_TABLES) {
      const n = (await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${q(t)} WHERE root_id IS NULL`)).n;
      this.report.nullRootIds.push({ table: t, count: n });
    }
    this.report.indexCount = (await this.one<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'index'`)).n;
    // integrity_check and foreign_key_check run once, over the whole database, in the migration
    // runner just before the commit (guardedMigration): running them here too doubles the cost
    // on a large file. Their verdict is its "Applied: ... integrity_check ok" line.
    this.report.quarantined = (
      await this.sql<{ source_table: string; source_id: string | null; reason: string }>(
        `SELECT source_table, source_id, reason FROM legacy_quarantine WHERE created_at = ? ORDER BY source_table, source_id`,
        [this.now],
      )
    ).map((r) => ({ table: r.source_table, id: r.source_id, reason: r.reason }));
    const bad = this.report.nullRootIds.filter((n) => n.count > 0);
    if (bad.length > 0) {
      printReport(this.report, this.out.log);
      throw new Error(`Adoption check failed: rows without root_id (${JSON.stringify(bad)}). Rolled back.`);
    }
  }
}

/**
 * Adopts the legacy_* tables of a Flask-era SQLite file into the current schema, set-wise,
 * inside the caller's transaction. Returns undefined when there is nothing to adopt.
 */
export async function adoptLegacy(qr: QueryRunner): Promise<AdoptionReport | undefined> {
  const cols = await readLegacyColumns(qr);
  const out = adoptionOutput();
  // Nothing to adopt on a fresh or already adopted database; the runner's own lines say what ran.
  if (cols.size === 0) return undefined;
  const goals = cols.get('goals');
  const required = ['id', 'type', 'name', 'parent_id'];
  if (!goals || required.some((c) => !goals.includes(c))) {
    throw new Error(
      `This SQLite file has a goals table that is not the Flask app's (it needs ${required.join(', ')}; found ${goals?.join(', ') ?? 'none'}). Refusing to adopt it; nothing was changed.`,
    );
  }
  const db = (qr.connection.driver as unknown as { databaseConnection: Parameters<typeof registerFunctions>[0] & UnsafeSwitch }).databaseConnection;
  registerFunctions(db);
  const adoption = new Adoption(qr, db, cols);
  out.log(`AdoptLegacy: detected shape ${adoption.report.shape.number} (${adoption.report.shape.description}); adopting ${[...cols.keys()].join(', ')}.`);
  const report = await adoption.run();
  rememberReport(report);
  printReport(report, out.log);
  return report;
}
