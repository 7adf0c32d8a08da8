import { Adoption } from '../adoption';
import { audit, copyTable, reportClearedReferences } from '../copy';
import { boolReasons, idReasons, intReasons, jsonReasons, tsReasons } from '../reasons';
import { boolExpr, dateBad, dateExpr, intExpr, jsonExpr, tsExpr } from '../values';
import { rootOwned } from './goal-tree';

/** Programs and what hangs below them: blocks, days, and the sessions scheduled on a day. */
export async function adoptPrograms(a: Adoption): Promise<void> {
  if (a.has('programs')) await programs(a);
  if (a.has('program_blocks')) await blocks(a);
  if (a.has('program_days')) await days(a);
  if (a.has('scheduled_sessions')) await scheduledSessions(a);
}

async function programs(a: Adoption): Promise<void> {
  const T = 'programs';
  const root = rootOwned(a, T);
  const start = tsExpr(a.c(T, 'start_date'));
  const end = tsExpr(a.c(T, 'end_date'));
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: root.joins,
    reasons: [
      ...(await idReasons(a, T)),
      ...root.reasons,
      [`s.name IS NULL`, `'name is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at', 'start_date', 'end_date']),
      [`${start} IS NULL`, `'start_date is NULL'`],
      [`${end} IS NULL`, `'end_date is NULL'`],
      [`${end} < ${start}`, `'end_date is before start_date'`],
      ...boolReasons(a, T, ['is_active']),
      ...jsonReasons(a, T, ['goal_ids', 'weekly_schedule']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T),
      ['root_id', 'r.root_id'],
      ['name', 's.name'],
      ['description', a.c(T, 'description')],
      ['start_date', start],
      ['end_date', end],
      ['is_active', boolExpr(a.c(T, 'is_active'), 1)],
      ['goal_ids', jsonExpr(a.c(T, 'goal_ids'), `'[]'`)],
      ['weekly_schedule', jsonExpr(a.c(T, 'weekly_schedule'), `'{}'`)],
    ],
  });
}

async function blocks(a: Adoption): Promise<void> {
  const T = 'program_blocks';
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: `LEFT JOIN programs p ON p.id = s.program_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.program_id IS NULL OR p.id IS NULL`, `'its program is gone'`],
      [`s.name IS NULL`, `'name is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      [dateBad(a.c(T, 'start_date')), `'start_date is not a date: ' || quote(s.start_date)`],
      [dateBad(a.c(T, 'end_date')), `'end_date is not a date: ' || quote(s.end_date)`],
      ...jsonReasons(a, T, ['goal_ids']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'p.created_at'),
      ['root_id', 'p.root_id'],
      ['program_id', 's.program_id'],
      ['name', 's.name'],
      ['start_date', dateExpr(a.c(T, 'start_date'))],
      ['end_date', dateExpr(a.c(T, 'end_date'))],
      ['color', a.c(T, 'color')],
      ['goal_ids', jsonExpr(a.c(T, 'goal_ids'))],
    ],
  });
}

async function days(a: Adoption): Promise<void> {
  const T = 'program_days';
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: `LEFT JOIN program_blocks b ON b.id = s.block_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.block_id IS NULL OR b.id IS NULL`, `'its program block is gone'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      [dateBad(a.c(T, 'date')), `'date is not a date: ' || quote(s.date)`],
      ...intReasons(a, T, ['day_number']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'b.created_at'),
      ['root_id', 'b.root_id'],
      ['block_id', 's.block_id'],
      ['date', dateExpr(a.c(T, 'date'))],
      ['day_number', intExpr(a.c(T, 'day_number'))],
      ['name', a.c(T, 'name')],
      ['notes', a.c(T, 'notes')],
    ],
  });
}

async function scheduledSessions(a: Adoption): Promise<void> {
  const T = 'scheduled_sessions';
  const template = a.has(T, 'session_template_id')
    ? `(SELECT t.id FROM session_templates t WHERE t.id = s.session_template_id AND t.root_id = d.root_id)`
    : 'NULL';
  if (template !== 'NULL') {
    await reportClearedReferences(a, T, 'session_template_id', 'template', { joins: `JOIN program_days d ON d.id = s.day_id`, lookup: template });
  }
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: `LEFT JOIN program_days d ON d.id = s.day_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.day_id IS NULL OR d.id IS NULL`, `'its program day is gone'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      ...boolReasons(a, T, ['is_completed']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'd.created_at'),
      ['root_id', 'd.root_id'],
      ['day_id', 's.day_id'],
      ['session_template_id', template],
      ['is_completed', boolExpr(a.c(T, 'is_completed'), 0)],
      ['completion_data', a.c(T, 'completion_data')],
    ],
  });
}
