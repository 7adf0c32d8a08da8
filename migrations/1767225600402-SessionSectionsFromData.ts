import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { adoptionOptionsOf } from './lib/legacy/options';
import { insertAll, sqlOn, withoutForcedRls } from './lib/sql';

type Row = Record<string, any>;

const TOUCHED = ['goals', 'session_sections', 'activity_instances'];

/** Ids per UPDATE: far below both engines' parameter limits. */
const CHUNK = 500;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const object = (v: unknown): Row | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : undefined);

function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * The id of the section at this position of a session's JSON: derived, not random, so that
 * down() finds exactly the rows up() made (a name-based UUID, version 5 layout).
 */
export function sectionIdFor(sessionId: string, position: number): string {
  const h = createHash('sha1').update(`session-section:${sessionId}:${position}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Planned {
  id: string;
  name: string;
  duration: number | null;
  instanceIds: string[];
}

/** A session's sections as the Flask app stored them: `{sections: [{name, duration_minutes, exercises|activities: [{instance_id}]}]}`. */
export function sectionsOf(sessionId: string, data: unknown): Planned[] {
  const raw = list(object(parse(data))?.sections);
  const out: Planned[] = [];
  for (const [i, s] of raw.entries()) {
    const section = object(s);
    if (!section) continue;
    const name = typeof section.name === 'string' && section.name.trim() ? section.name.trim().slice(0, 200) : `Section ${i + 1}`;
    const minutes = Number(section.duration_minutes ?? section.durationMinutes);
    const duration = section.duration_minutes !== null && Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : null;
    const items = [...list(section.exercises), ...list(section.activities)].map((e) => object(e)?.instance_id ?? object(e)?.instanceId);
    items.push(...list(section.instanceIds));
    out.push({ id: sectionIdFor(sessionId, out.length), name, duration, instanceIds: items.filter((x): x is string => typeof x === 'string') });
  }
  return out;
}

/**
 * Practice sessions of the Flask app kept their sections only in session_data. PracticeSessions
 * gave sessions section rows; this turns each adopted session's JSON sections into those rows,
 * in order, and places each of the session's own instances that the JSON lists under a section
 * in the first one that lists it. session_data itself is kept as it is. A session that has
 * section rows already (made through the API) is left alone. Rows of a soft-deleted session
 * are taken by its deletion, so that its restore brings them back.
 */
export class SessionSectionsFromData1767225600402 implements MigrationInterface {
  name = 'SessionSectionsFromData1767225600402';

  async up(queryRunner: QueryRunner): Promise<void> {
    await withoutForcedRls(queryRunner, TOUCHED, () => this.convert(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await withoutForcedRls(queryRunner, TOUCHED, async () => {
      const sql = sqlOn(queryRunner);
      const made: Row[] = [];
      for (const s of await this.sessions(queryRunner, false)) for (const p of sectionsOf(s.id, s.data)) made.push({ root: s.root_id, id: p.id });
      for (let i = 0; i < made.length; i += CHUNK) {
        const chunk = made.slice(i, i + CHUNK).map((m) => m.id);
        const marks = chunk.map(() => '?').join(', ');
        await sql(`UPDATE activity_instances SET section_id = NULL WHERE section_id IN (${marks})`, chunk);
        await sql(`DELETE FROM session_sections WHERE id IN (${marks})`, chunk);
      }
    });
  }

  private sessions(queryRunner: QueryRunner, withoutRows: boolean): Promise<Row[]> {
    const unsectioned = withoutRows ? 'AND NOT EXISTS (SELECT 1 FROM session_sections x WHERE x.root_id = g.root_id AND x.session_id = g.id)' : '';
    return sqlOn(queryRunner)(
      `SELECT g.id, g.root_id, g.session_data AS data, g.created_by, g.deleted_at, g.deletion_id FROM goals g
        WHERE g.type = 'PracticeSession' AND g.session_data IS NOT NULL ${unsectioned} ORDER BY g.id`,
    );
  }

  private async convert(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlOn(queryRunner);
    const sessions = await this.sessions(queryRunner, true);
    if (sessions.length === 0) return;
    const instances = await sql(
      `SELECT i.id, i.practice_session_id FROM activity_instances i
         JOIN goals g ON g.root_id = i.root_id AND g.id = i.practice_session_id
        WHERE g.type = 'PracticeSession' AND g.session_data IS NOT NULL AND i.section_id IS NULL`,
    );
    const sessionOf = new Map(instances.map((i) => [String(i.id), String(i.practice_session_id)]));
    const rows: unknown[][] = [];
    const placed = new Map<string, string[]>();
    for (const s of sessions) {
      const taken = new Set<string>();
      for (const [position, p] of sectionsOf(s.id, s.data).entries()) {
        rows.push([p.id, s.created_by, s.created_by, s.deleted_at, s.deletion_id, s.root_id, s.id, position, p.name, p.duration]);
        const own = p.instanceIds.filter((id) => sessionOf.get(id) === s.id && !taken.has(id));
        own.forEach((id) => taken.add(id));
        if (own.length) placed.set(p.id, own);
      }
    }
    await insertAll(queryRunner, 'session_sections (id, created_by, updated_by, deleted_at, deletion_id, root_id, session_id, position, name, duration_minutes)', rows);
    for (const [sectionId, ids] of placed) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        await sql(`UPDATE activity_instances SET section_id = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`, [sectionId, ...chunk]);
      }
    }
    adoptionOptionsOf(queryRunner).log?.(`SessionSectionsFromData: ${rows.length} section(s) of ${sessions.length} session(s) made from session_data; ${[...placed.values()].flat().length} instance(s) placed in them`);
  }
}
