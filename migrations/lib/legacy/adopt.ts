import { QueryRunner } from 'typeorm';
import { stashedIndexCount } from '../legacy-stash';
import { Adoption, runSteps, Step } from './adoption';
import { UnsafeSwitch } from './keys-after';
import { AdoptionOptions } from './options';
import { AdoptionReport, adoptionOutput, printReport } from './report';
import { readLegacyColumns } from './shape';
import { registerFunctions } from './values';
import { adoptActivityDefinitions } from './steps/activity-definitions';
import { adoptActivityGroups } from './steps/activity-groups';
import { adoptActivityInstances } from './steps/activity-instances';
import { checkResult } from './steps/checks';
import { adoptDefinitions } from './steps/definitions';
import { dropLegacyTables } from './steps/drop-legacy';
import { repairDuplicateNames } from './steps/duplicate-names';
import { stageGoalTree } from './steps/goal-tree';
import { adoptGoals } from './steps/goals';
import { dropTargetIndexes, IndexDefinition, recreateIndexes } from './steps/indexes';
import { adoptMetricValues } from './steps/metric-values';
import { assignOwner } from './steps/owner';
import { adoptPracticeSessionGoals } from './steps/practice-session-goals';
import { adoptPrograms } from './steps/programs';
import { adoptSessionTemplates } from './steps/session-templates';

const step = (name: string, weight: number, run: () => Promise<unknown>): Step => ({ name, weight, run });

/** The steps in order. A table's step needs the tables it refers to adopted before it. */
async function adoptionSteps(a: Adoption): Promise<Step[]> {
  // Progress is weighted by rows: the two big tables dominate the time on large files.
  const perRow = async (t: string) => 1 + (a.has(t) ? (await a.legacyCount(t)) / 20_000 : 0);
  const instances = await perRow('activity_instances');
  const values = await perRow('metric_values');
  let indexes: IndexDefinition[] = [];
  return [
    step('preparing', 1, async () => {
      indexes = await dropTargetIndexes(a);
    }),
    step('goals: root_id from the tree', 2, () => stageGoalTree(a)),
    step('session_templates', 1, () => adoptSessionTemplates(a)),
    step('activity_groups', 1, () => adoptActivityGroups(a)),
    step('activity_definitions', 1, () => adoptActivityDefinitions(a)),
    step('goals', 1, () => adoptGoals(a)),
    step('practice_session_goals', 1, () => adoptPracticeSessionGoals(a)),
    step('metric_definitions', 1, () => adoptDefinitions(a, 'metric_definitions')),
    step('split_definitions', 1, () => adoptDefinitions(a, 'split_definitions')),
    step('activity_instances', instances, () => adoptActivityInstances(a)),
    step('metric_values', values, () => adoptMetricValues(a)),
    step('programs', 1, () => adoptPrograms(a)),
    step('owner', 1, () => assignOwner(a)),
    step('duplicate names', 1, () => repairDuplicateNames(a)),
    // The legacy tables go before the indexes are built, so that the indexes reuse their pages:
    // the adopted file keeps no free space (benchmark file: 2.36 GB instead of 3.17 GB, of which
    // 0.8 GB free). The time is a wash: integrity_check reads the indexes through the memory
    // map and runs about 5 s faster, and the index builds journal the pages they reuse, 2-3 s.
    step('dropping legacy tables', 1, () => dropLegacyTables(a)),
    step('indexes', 1, () => recreateIndexes(a, indexes)),
    step('checks', 3, () => checkResult(a)),
  ];
}

/**
 * Adopts the legacy_* tables of a Flask-era SQLite file into the current schema, set-wise,
 * inside the caller's transaction. Returns undefined when there is nothing to adopt.
 */
export async function adoptLegacy(qr: QueryRunner, options: AdoptionOptions = {}): Promise<AdoptionReport | undefined> {
  const cols = await readLegacyColumns(qr);
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
  const out = adoptionOutput(options);
  const a = new Adoption(qr, db, cols, stashedIndexCount(qr), out, options.trace);
  out.log(`AdoptLegacy: detected shape ${a.report.shape.number} (${a.report.shape.description}); adopting ${[...cols.keys()].join(', ')}.`);
  const started = Date.now();
  await runSteps(a, await adoptionSteps(a), options.failAfter);
  a.report.seconds = (Date.now() - started) / 1000;
  out.progress(100, 'done');
  options.onReport?.(a.report);
  printReport(a.report, out.log);
  return a.report;
}
