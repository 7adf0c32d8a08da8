import Database from 'better-sqlite3';
import { DUPLICATE_VALUES_DELETION_ID } from '../../migrations/1767225600400-PracticeSessions';
import { createApp } from '../../src/app.factory';
import { signUp } from '../auth/helpers';
import { undoThrough } from '../foundation/helpers';
import { TestDatabase } from '../helpers/db';
import { legacyDatabase, readAll, SHARED_FILE } from './fixtures';
import { id } from './messy-data';
import { migrate, MigrationRun } from './run';

type Row = Record<string, any>;

/**
 * The PracticeSessions migration on adopted Flask-era files: values that share an instance,
 * a metric and a split become sets (activities with sets) or are set aside as soft-deleted
 * (activities without), none is lost, down() gives every row back as it was; and the
 * adopted sessions of the shared file read through the sessions routes, every instance and
 * value included.
 */
describe('PracticeSessions on adopted files', () => {
  describe('values that share a slot', () => {
    let db: TestDatabase;
    let run: MigrationRun;
    const q = (sql: string, params: unknown[] = []): Row[] => readAll(db.location, sql, params);
    const at = (minute: number) => `2025-12-28 10:${String(minute).padStart(2, '0')}:00`;
    const v = (tag: string, instance: string, metric: string, value: number, minute: number, split: string | null = null) => ({
      id: id(tag),
      activity_instance_id: id(instance),
      metric_definition_id: id(metric),
      split_definition_id: split ? id(split) : null,
      value,
      root_id: id('U'),
      created_at: at(minute),
    });

    beforeAll(async () => {
      delete process.env.LEGACY_OWNER_EMAIL;
      db = await legacyDatabase({
        shape: 4,
        data: {
          goals: [
            { id: id('U'), type: 'UltimateGoal', name: 'Life', root_id: id('U') },
            { id: id('L'), type: 'LongTermGoal', name: 'Long', parent_id: id('U'), root_id: id('U') },
            { id: id('M'), type: 'MidTermGoal', name: 'Mid', parent_id: id('L'), root_id: id('U') },
            { id: id('S'), type: 'ShortTermGoal', name: 'Short', parent_id: id('M'), root_id: id('U') },
            { id: id('P'), type: 'PracticeSession', name: 'Session', parent_id: id('S'), root_id: id('U'), session_start: at(0) },
          ],
          activity_definitions: [
            { id: id('A-sets'), root_id: id('U'), name: 'Press', has_sets: 1, has_metrics: 1, has_splits: 0 },
            { id: id('A-plain'), root_id: id('U'), name: 'Curl', has_sets: 0, has_metrics: 1, has_splits: 1 },
          ],
          metric_definitions: [
            { id: id('M-kg'), activity_id: id('A-sets'), name: 'kg', unit: 'kg', root_id: id('U') },
            { id: id('M-reps'), activity_id: id('A-plain'), name: 'reps', unit: 'reps', root_id: id('U') },
          ],
          split_definitions: [{ id: id('Left'), activity_id: id('A-plain'), name: 'Left', order: 0, root_id: id('U') }],
          activity_instances: [
            { id: id('I-sets'), practice_session_id: id('P'), activity_definition_id: id('A-sets'), root_id: id('U'), created_at: at(1) },
            { id: id('I-plain'), practice_session_id: id('P'), activity_definition_id: id('A-plain'), root_id: id('U'), created_at: at(2) },
          ],
          metric_values: [
            // Three values of one slot of an activity with sets: its sets 0, 1, 2 in the order recorded.
            v('K2', 'I-sets', 'M-kg', 52, 12),
            v('K1', 'I-sets', 'M-kg', 50, 11),
            v('K3', 'I-sets', 'M-kg', 55, 13),
            // Without sets: per slot the newest stays, the others are set aside.
            v('L1', 'I-plain', 'M-reps', 8, 21, 'Left'),
            v('L2', 'I-plain', 'M-reps', 9, 22, 'Left'),
            v('N1', 'I-plain', 'M-reps', 5, 23),
            v('N3', 'I-plain', 'M-reps', 7, 25),
            v('N2', 'I-plain', 'M-reps', 6, 24),
          ],
        },
      });
      run = await migrate(db);
    });
    afterAll(() => db.drop());

    const values = () => q(`SELECT id, set_index, deleted_at, deletion_id, value FROM metric_values ORDER BY value`);

    it('keeps every value: numbered as sets, or the newest live and the others soft-deleted', () => {
      expect(run.executed).toContain('PracticeSessions1767225600400');
      const byTag = (tag: string) => values().find((r) => r.id === id(tag))!;
      expect(values()).toHaveLength(8);
      expect(['K1', 'K2', 'K3'].map((t) => [byTag(t).set_index, byTag(t).deleted_at])).toEqual([
        [0, null],
        [1, null],
        [2, null],
      ]);
      expect(['L1', 'L2', 'N1', 'N2', 'N3'].map((t) => [byTag(t).set_index, byTag(t).deletion_id])).toEqual([
        [0, DUPLICATE_VALUES_DELETION_ID],
        [0, null],
        [0, DUPLICATE_VALUES_DELETION_ID],
        [0, DUPLICATE_VALUES_DELETION_ID],
        [0, null],
      ]);
      expect(run.lines.join('\n')).toContain('PracticeSessions: 2 values of activities with sets numbered as their sets; 3 extra values of activities without sets soft-deleted');
      expect(q('PRAGMA foreign_key_check')).toEqual([]);
      expect(q('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    });

    it('holds one live value per slot from now on', () => {
      const file = new Database(db.location);
      const insert = (tag: string, split: string | null) =>
        file
          .prepare(`INSERT INTO metric_values (id, root_id, activity_instance_id, metric_definition_id, split_definition_id, value) VALUES (?, ?, ?, ?, ?, 1)`)
          .run(id(tag), id('U'), id('I-plain'), id('M-reps'), split && id(split));
      try {
        expect(() => insert('again-unsplit', null)).toThrow(/UNIQUE constraint failed/);
        expect(() => insert('again-left', 'Left')).toThrow(/UNIQUE constraint failed/);
      } finally {
        file.close();
      }
    });

    it('down gives every row back as it was; up again does the same again', async () => {
      const after = values().map(({ deleted_at: _d, ...r }) => r);
      const ds = db.newDataSource();
      ds.safeRunOptions = { ...ds.safeRunOptions, log: () => undefined };
      await ds.initialize();
      try {
        await undoThrough(ds, 'PracticeSessions1767225600400');
        const down = q(`SELECT * FROM metric_values ORDER BY value`);
        expect(down.map((r) => [r.id, r.deleted_at, r.deletion_id, 'set_index' in r])).toEqual(down.map((r) => [r.id, null, null, false]));
        expect(down).toHaveLength(8);
        await ds.runMigrations();
        expect(values().map(({ deleted_at: _d, ...r }) => r)).toEqual(after);
      } finally {
        await ds.destroy();
      }
    });
  });

  describe('the shared Flask file', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      delete process.env.LEGACY_OWNER_EMAIL;
      db = await legacyDatabase(SHARED_FILE);
      await migrate(db);
    });
    afterAll(() => db.drop());

    it('sets no value aside, and reads every adopted session whole through the routes', async () => {
      const live = (table: string) => Number(readAll(db.location, `SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`)[0].n);
      expect(readAll(db.location, `SELECT count(*) AS n FROM metric_values WHERE set_index <> 0 OR deletion_id = ?`, [DUPLICATE_VALUES_DELETION_ID])[0].n).toBe(0);
      expect(live('metric_values')).toBe(116);

      const ds = db.newDataSource();
      await ds.initialize();
      const app = await createApp({ config: db.config, dataSource: ds });
      try {
        // The adopted roots go to a user registered now (as an administrator's transfer would).
        const token = (await signUp(app, 'reader@example.com')).accessToken;
        const me = (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).json().id;
        await ds.query(`UPDATE goals SET user_id = ? WHERE user_id IS NOT NULL`, [me]);
        const get = async (url: string) => {
          const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
          expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
          return res.json();
        };
        let sessions = 0;
        let instances = 0;
        let recorded = 0;
        for (const root of (await get('/api/roots?limit=200')).items) {
          for (const s of (await get(`/api/roots/${root.id}/sessions?limit=200`)).items) {
            const view = await get(`/api/roots/${root.id}/sessions/${s.id}`);
            sessions++;
            instances += view.instances.length;
            for (const i of view.instances) recorded += i.values.length + i.sets.reduce((n: number, x: { values: unknown[] }) => n + x.values.length, 0);
          }
        }
        expect(sessions).toBe(Number(readAll(db.location, `SELECT count(*) AS n FROM goals WHERE type = 'PracticeSession' AND deleted_at IS NULL`)[0].n));
        expect(instances).toBe(live('activity_instances'));
        expect(recorded).toBe(116);

        // Most adopted sessions were never completed: a new one is refused until ?force=true
        // completes them, which keeps the ends and totals the Flask app recorded.
        const open = readAll(db.location, `SELECT id, root_id, session_end, total_duration_seconds FROM goals WHERE type = 'PracticeSession' AND completed = 0 AND deleted_at IS NULL`);
        const root = open.find((s) => s.total_duration_seconds !== null)!.root_id;
        const [stg] = readAll(db.location, `SELECT id FROM goals WHERE type = 'ShortTermGoal' AND root_id = ? AND deleted_at IS NULL`, [root]);
        const post = (query: string) =>
          app.inject({ method: 'POST', url: `/api/roots/${root}/sessions${query}`, headers: { authorization: `Bearer ${token}` }, payload: { parentGoalIds: [stg.id] } });
        expect((await post('')).statusCode).toBe(409);
        expect((await post('?force=true')).statusCode).toBe(201);
        for (const before of open.filter((s) => s.root_id === root)) {
          const after = readAll(db.location, `SELECT completed, session_end, total_duration_seconds FROM goals WHERE id = ?`, [before.id])[0];
          expect(after.completed).toBe(1);
          if (before.session_end === null) continue;
          expect(after.session_end).toBe(before.session_end);
          if (before.total_duration_seconds !== null) expect(after.total_duration_seconds).toBe(before.total_duration_seconds);
        }
      } finally {
        await app.close();
        if (ds.isInitialized) await ds.destroy();
      }
    });
  });
});
