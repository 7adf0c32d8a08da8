import { TestDatabase } from '../helpers/db';
import { legacyDatabase, readAll, SHARED_FILE } from './fixtures';
import { migrate } from './run';

type Row = Record<string, any>;

/** The shared Flask-era file's templates, after adoption and TemplateSections: the JSON kept, its sections as rows. */
describe('the shared file’s session templates become sections and planned activities', () => {
  let db: TestDatabase;
  const source = (sql: string): Row[] => readAll(SHARED_FILE, sql);
  const q = (sql: string, params: unknown[] = []): Row[] => readAll(db.location, sql, params);

  beforeAll(async () => {
    delete process.env.LEGACY_OWNER_EMAIL;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    db = await legacyDatabase(SHARED_FILE);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.drop();
    jest.restoreAllMocks();
  });

  it('keeps every template’s JSON byte-equal in legacy_template_data', () => {
    const before = source(`SELECT id, template_data FROM session_templates ORDER BY id`);
    expect(before).toHaveLength(10);
    expect(q(`SELECT id, legacy_template_data AS template_data FROM session_templates ORDER BY id`)).toEqual(before);
  });

  it('has a row per section, in order, and a planned row per activity reference, all in the template’s root', () => {
    let planned = 0;
    for (const t of source(`SELECT id, template_data FROM session_templates`)) {
      const json = JSON.parse(t.template_data);
      const sections = q(`SELECT id, name, duration_minutes, position, root_id FROM session_template_sections WHERE template_id = ? ORDER BY position`, [t.id]);
      expect({ t: t.id, sections: sections.map((s) => [s.position, s.name, s.duration_minutes]) }).toEqual({
        t: t.id,
        sections: json.sections.map((s: Row, i: number) => [i, s.name, s.duration_minutes]),
      });
      for (const [i, s] of json.sections.entries()) {
        const refs = [...(s.activities ?? []), ...(s.exercises ?? [])].map((a: Row) => a.activity_id);
        const rows = q(`SELECT activity_id FROM session_template_activities WHERE section_id = ? ORDER BY position`, [sections[i].id]);
        expect({ t: t.id, i, rows: rows.map((r) => r.activity_id) }).toEqual({ t: t.id, i, rows: refs });
        planned += rows.length;
      }
    }
    expect(planned).toBe(6);
    const [root] = q(
      `SELECT count(*) AS n FROM session_template_activities p JOIN session_templates t ON t.id = (SELECT template_id FROM session_template_sections s WHERE s.id = p.section_id) WHERE t.root_id <> p.root_id`,
    );
    expect(root.n).toBe(0);
  });
});
