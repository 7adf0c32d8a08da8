import { MIGRATIONS } from '../../migrations';
import { ProgramGoalLinks1767225600080 } from '../../migrations/1767225600080-ProgramGoalLinks';
import { undoThrough } from '../foundation/helpers';
import { TestDatabase } from '../helpers/db';
import { legacyDatabase, readAll } from './fixtures';
import { id, messyFixture } from './messy-data';
import { migrate, MigrationRun } from './run';

type Row = Record<string, any>;

/** Issue 13: an adopted file's goal_ids become link tables; what cannot be a link is kept; down() gives the values back. */
describe('goal_ids of an adopted shape 4 file', () => {
  const { fixture } = messyFixture(4);
  const legacy = (table: string, tag: string) => fixture.data[table].find((r) => r.id === id(tag))!.goal_ids;
  let db: TestDatabase;
  let run: MigrationRun;
  const q = (sql: string, params: unknown[] = []): Row[] => readAll(db.location, sql, params);
  const links = (table: string, column: string, tag: string) =>
    q(`SELECT goal_id, sort_order, root_id FROM ${table} WHERE ${column} = ? ORDER BY sort_order`, [id(tag)]);
  const quarantined = () =>
    q(`SELECT source_table, source_id, reason, row_json FROM legacy_quarantine WHERE source_table LIKE '%.goal_ids' ORDER BY source_id, reason`);

  beforeAll(async () => {
    delete process.env.LEGACY_OWNER_EMAIL;
    db = await legacyDatabase(fixture);
    run = await migrate(db);
  });
  afterAll(() => db.drop());

  it('links each goal of the row root, in list order', () => {
    expect(run.executed).toEqual(expect.arrayContaining(['AdoptLegacy1767225600001', 'RootInvariants1767225600070', 'ProgramGoalLinks1767225600080']));
    expect(links('program_goals', 'program_id', 'PR5')).toEqual([
      { goal_id: id('S1'), sort_order: 0, root_id: id('U1') },
      { goal_id: id('S2'), sort_order: 5, root_id: id('U1') },
    ]);
    expect(links('program_block_goals', 'block_id', 'B3')).toEqual([{ goal_id: id('S2'), sort_order: 0, root_id: id('U1') }]);
    for (const tag of ['PR1', 'PR3', 'PR6']) expect({ tag, links: links('program_goals', 'program_id', tag) }).toEqual({ tag, links: [] });
    expect(links('program_block_goals', 'block_id', 'B1')).toEqual([]);
    expect(run.lines.join('\n')).toMatch(/ProgramGoalLinks: programs\.goal_ids of 4 row\(s\) became 2 program_goals row\(s\); 6 value\(s\) .* kept in legacy_quarantine/);
  });

  it('keeps every value that names no goal of the row root in legacy_quarantine, with the reason and the original', () => {
    const rows = quarantined();
    expect(rows.map((r) => [r.source_table, r.source_id, r.reason])).toEqual(
      [
        ['programs.goal_ids', id('PR1'), 'goal_ids[0] names no goal: x'],
        ['programs.goal_ids', id('PR5'), `goal_ids[1] names a goal of another root: ${id('U2')} (root ${id('U2')})`],
        ['programs.goal_ids', id('PR5'), `goal_ids[2] names no goal: ${id('gone-goal')}`],
        ['programs.goal_ids', id('PR5'), 'goal_ids[3] is not a goal id: 42'],
        ['programs.goal_ids', id('PR5'), `goal_ids[4] repeats ${id('S1')}`],
        ['programs.goal_ids', id('PR6'), 'goal_ids is not a JSON array of goal ids'],
      ].sort((x, y) => x[1].localeCompare(y[1]) || x[2].localeCompare(y[2])),
    );
    const pr5 = rows.filter((r) => r.source_id === id('PR5')).map((r) => JSON.parse(r.row_json));
    expect(pr5.map((k) => [k.index, k.value])).toEqual(expect.arrayContaining([[1, id('U2')], [2, id('gone-goal')], [3, 42], [4, id('S1')]]));
    for (const k of pr5) expect(k).toMatchObject({ id: id('PR5'), root_id: id('U1'), goal_ids: legacy('programs', 'PR5') });
    expect(JSON.parse(rows.find((r) => r.source_id === id('PR6'))!.row_json)).toEqual({ id: id('PR6'), root_id: id('U1'), goal_ids: '{"a": 1}', index: null });
  });

  it('swaps the dates of a block that ends before it starts, and says so', () => {
    expect(q(`SELECT start_date, end_date FROM program_blocks WHERE id = ?`, [id('B3')])).toEqual([{ start_date: '2026-02-01', end_date: '2026-02-10' }]);
    expect(run.lines.join('\n')).toContain(`RootInvariants: 1 program block(s) ending before they start: start_date and end_date swapped: ${id('B3')}`);
  });

  it('down() puts goal_ids back as they were and removes the entries; up again makes the same links', async () => {
    const before = { programs: q(`SELECT goal_id, sort_order FROM program_goals ORDER BY goal_id, sort_order`), quarantine: quarantined().map((r) => r.reason) };
    const ds = db.newDataSource();
    await ds.initialize();
    try {
      await undoThrough(ds, 'ProgramGoalLinks1767225600080');
    } finally {
      await ds.destroy();
    }
    const goalIds = (table: string, tag: string) => q(`SELECT goal_ids FROM ${table} WHERE id = ?`, [id(tag)])[0].goal_ids;
    // Byte-equal, spacing included; an empty legacy value had become '[]' in the adoption.
    for (const tag of ['PR1', 'PR5', 'PR6']) expect({ tag, value: goalIds('programs', tag) }).toEqual({ tag, value: legacy('programs', tag) });
    expect(goalIds('programs', 'PR3')).toBe('[]');
    expect(goalIds('program_blocks', 'B3')).toBe(legacy('program_blocks', 'B3'));
    expect(goalIds('program_blocks', 'B1')).toBeNull();
    expect(quarantined()).toEqual([]);
    expect(q(`SELECT name FROM sqlite_master WHERE name IN ('program_goals', 'program_block_goals')`)).toEqual([]);

    const again = await migrate(db);
    expect(again.executed).toEqual(MIGRATIONS.slice(MIGRATIONS.indexOf(ProgramGoalLinks1767225600080)).map((m) => new m().name));
    expect({ programs: q(`SELECT goal_id, sort_order FROM program_goals ORDER BY goal_id, sort_order`), quarantine: quarantined().map((r) => r.reason) }).toEqual(before);
  });
});
