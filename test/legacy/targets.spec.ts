import { SafeDataSource } from '../../src/database/data-source';
import { TestDatabase } from '../helpers/db';
import { legacyDatabase, readAll } from './fixtures';
import { id } from './messy-data';
import { migrate } from './run';

/** The Flask app's goals.targets JSON becomes target rows; what cannot is quarantined, never dropped. */
describe('legacy targets JSON, adopted', () => {
  const A1 = id('act-1');
  const A2 = id('act-2');
  const A3 = id('act-other-root');
  const M1 = id('metric-1');
  const M2 = id('metric-2');
  const M3 = id('metric-of-a2');
  const items = [
    { activity_id: A1, name: ' Fast scales ', metrics: [{ metric_id: M1, value: 10 }, { metric_id: M2, value: '2.5' }], completed: true },
    { activity_id: id('gone'), metrics: [{ metric_id: M1, value: 1 }] },
    { activity_id: A1, metrics: [] },
    { activity_id: A1, metrics: [{ metric_id: M3, value: 1 }] },
    { activity_id: A1, metrics: [{ metric_id: M1, value: 'lots' }] },
    'just text',
    { activity_id: A3, metrics: [{ metric_id: M1, value: 1 }] },
    { metrics: [{ metric_id: M1, value: 1 }] },
  ];
  const reasons = [
    null,
    `activity ${id('gone')} is not an activity of the goal's root`,
    'the target has no metrics',
    `metric ${M3} is not a metric of activity ${A1}`,
    `the value of metric ${M1} is not a number`,
    'a target is not a JSON object',
    `activity ${A3} is not an activity of the goal's root`,
    'the target has no activity_id',
  ];
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) => readAll(db.location, sql, params);

  beforeAll(async () => {
    db = await legacyDatabase({
      shape: 2,
      data: {
        goals: [
          { id: id('U1'), type: 'UltimateGoal', name: 'Life', root_id: id('U1') },
          { id: id('L1'), type: 'LongTermGoal', name: 'Long', parent_id: id('U1'), root_id: id('U1'), targets: JSON.stringify(items) },
          { id: id('L2'), type: 'LongTermGoal', name: 'Object', parent_id: id('U1'), root_id: id('U1'), targets: '{"a":1}' },
          { id: id('L3'), type: 'LongTermGoal', name: 'Empty', parent_id: id('U1'), root_id: id('U1'), targets: '[]' },
          { id: id('U2'), type: 'UltimateGoal', name: 'Other', root_id: id('U2') },
        ],
        activity_definitions: [
          { id: A1, root_id: id('U1'), name: 'Scales' },
          { id: A2, root_id: id('U1'), name: 'Arpeggios' },
          { id: A3, root_id: id('U2'), name: 'Elsewhere' },
        ],
        metric_definitions: [
          { id: M1, activity_id: A1, name: 'bpm', unit: 'bpm' },
          { id: M2, activity_id: A1, name: 'minutes', unit: 'min' },
          { id: M3, activity_id: A2, name: 'bpm', unit: 'bpm' },
        ],
      },
    });
    await migrate(db);
  });
  afterAll(() => db.drop());

  it('turns each well-formed target into a threshold target with >= conditions, keeping its name and completed flag', () => {
    const targets = q(`SELECT id, root_id, goal_id, activity_id, name, kind, met, sort_order FROM goal_targets`);
    expect(targets).toEqual([{ id: expect.any(String), root_id: id('U1'), goal_id: id('L1'), activity_id: A1, name: 'Fast scales', kind: 'threshold', met: 1, sort_order: 0 }]);
    expect(q(`SELECT metric_id, comparison, value FROM target_conditions WHERE target_id = ? ORDER BY sort_order`, [targets[0].id])).toEqual([
      { metric_id: M1, comparison: '>=', value: 10 },
      { metric_id: M2, comparison: '>=', value: 2.5 },
    ]);
  });

  it('quarantines every other one whole, with its reason: converted + quarantined = every legacy target', () => {
    const kept = q(`SELECT source_id, row_json, reason FROM legacy_quarantine WHERE source_table = 'goals.targets' ORDER BY source_id, row_json`);
    const forL1 = kept.filter((k) => k.source_id === id('L1')).map((k) => ({ ...JSON.parse(k.row_json as string), reason: k.reason }));
    expect(forL1.sort((a, b) => a.index - b.index)).toEqual(
      items.map((target, index) => ({ goal_id: id('L1'), index, target, reason: reasons[index] })).filter((x) => x.reason !== null),
    );
    expect(forL1.length + 1).toBe(items.length);
    expect(kept.filter((k) => k.source_id === id('L2'))).toEqual([{ source_id: id('L2'), row_json: JSON.stringify({ goal_id: id('L2'), targets: { a: 1 } }), reason: 'targets is not a JSON array' }]);
    expect(kept.filter((k) => k.source_id === id('L3'))).toEqual([]);
  });

  it('drops goals.targets, and reverting writes the JSON back from the rows and the quarantine', async () => {
    expect(q(`PRAGMA table_info(goals)`).map((c) => c.name)).not.toContain('targets');
    const ds = db.newDataSource() as SafeDataSource;
    await ds.initialize();
    try {
      // The migrations after the goal tree's go first; then GoalCompletion brings the column back,
      // GoalLevels goes, GoalTargets refills the column.
      const last = async () => (await ds.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0].name as string;
      while ((await last()) !== 'GoalCompletion1767225600120') await ds.undoLastMigration();
      for (const name of ['GoalCompletion1767225600120', 'GoalLevels1767225600110', 'GoalTargets1767225600100']) {
        const [last] = await ds.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`);
        expect(last.name).toBe(name);
        await ds.undoLastMigration();
      }
    } finally {
      await ds.destroy();
    }
    const back = (tag: string) => q(`SELECT targets FROM goals WHERE id = ?`, [id(tag)])[0].targets as string | null;
    const restored = JSON.parse(back('L1')!);
    expect(restored).toEqual(items.map((item, i) => (i === 0 ? { activity_id: A1, name: 'Fast scales', metrics: [{ metric_id: M1, value: 10 }, { metric_id: M2, value: 2.5 }], completed: true } : item)));
    expect(JSON.parse(back('L2')!)).toEqual({ a: 1 });
    expect(back('L3')).toBeNull();
    expect(q(`SELECT name FROM sqlite_master WHERE name IN ('goal_targets', 'target_conditions')`)).toEqual([]);
    expect(q(`SELECT count(*) AS n FROM legacy_quarantine WHERE source_table = 'goals.targets'`)[0].n).toBe(0);
  });
});
