import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';

/** One id per tenant table (by table name), for a root seeded with a row in every table. */
export type SeededIds = Record<string, string> & { root: string };

/**
 * Gives a root a row in every tenant table, written straight through SQL-level inserts so
 * that the isolation tests do not depend on the routes they test.
 */
export async function seedTenant(ds: DataSource, userId: string, rootId: string, label: string): Promise<SeededIds> {
  const id = () => randomUUID();
  const ids: Record<string, string> = { root: rootId };
  const base = { rootId, createdBy: userId, updatedBy: userId };
  const insert = async (entity: string, values: Record<string, unknown>) => {
    const rowId = id();
    await ds.getRepository(entity).insert({ id: rowId, ...base, ...values });
    return rowId;
  };
  await ds.getRepository('Goal').insert({ id: rootId, rootId, userId, type: 'UltimateGoal', name: `Root ${label}` });
  ids.goals = await insert('Goal', { type: 'LongTermGoal', name: `LTG ${label}`, parentId: rootId });
  const mid = await insert('Goal', { type: 'MidTermGoal', name: `MTG ${label}`, parentId: ids.goals });
  ids.shortTermGoal = await insert('Goal', { type: 'ShortTermGoal', name: `STG ${label}`, parentId: mid });
  ids.session_templates = await insert('SessionTemplate', { name: `Template ${label}` });
  ids.session = await insert('Goal', {
    type: 'PracticeSession',
    name: `Session ${label}`,
    parentId: ids.shortTermGoal,
    sessionStart: new Date('2026-01-02T10:00:00Z'),
    sessionEnd: new Date('2026-01-02T11:00:00Z'),
    templateId: ids.session_templates,
  });
  ids.practice_session_goals = await insert('PracticeSessionGoal', {
    practiceSessionId: ids.session,
    shortTermGoalId: ids.shortTermGoal,
  });
  ids.activity_groups = await insert('ActivityGroup', { name: `Group ${label}` });
  ids.activity_definitions = await insert('ActivityDefinition', { name: `Activity ${label}`, groupId: ids.activity_groups });
  ids.metric_definitions = await insert('MetricDefinition', { activityId: ids.activity_definitions, name: 'Reps', unit: 'reps' });
  ids.split_definitions = await insert('SplitDefinition', { activityId: ids.activity_definitions, name: 'Left', order: 0 });
  ids.session_sections = await insert('SessionSection', { sessionId: ids.session, position: 0, name: `Section ${label}`, durationMinutes: 10 });
  ids.activity_instances = await insert('ActivityInstance', {
    practiceSessionId: ids.session,
    activityDefinitionId: ids.activity_definitions,
    sectionId: ids.session_sections,
    timeStart: new Date('2026-01-02T10:05:00Z'),
    timeStop: new Date('2026-01-02T10:15:00Z'),
    durationSeconds: 600,
  });
  ids.activity_sets = await insert('ActivitySet', { activityInstanceId: ids.activity_instances, position: 0, notes: `Set ${label}` });
  ids.metric_values = await insert('MetricValue', {
    activityInstanceId: ids.activity_instances,
    metricDefinitionId: ids.metric_definitions,
    splitDefinitionId: ids.split_definitions,
    value: 12,
  });
  ids.programs = await insert('Program', {
    name: `Program ${label}`,
    startDate: new Date('2026-01-01T00:00:00Z'),
    endDate: new Date('2026-03-01T00:00:00Z'),
    weeklySchedule: {},
  });
  ids.program_goals = await insert('ProgramGoal', { programId: ids.programs, goalId: ids.shortTermGoal });
  ids.program_blocks = await insert('ProgramBlock', { programId: ids.programs, name: `Block ${label}` });
  ids.program_block_goals = await insert('ProgramBlockGoal', { blockId: ids.program_blocks, goalId: ids.shortTermGoal });
  ids.program_days = await insert('ProgramDay', { blockId: ids.program_blocks, dayNumber: 1 });
  ids.scheduled_sessions = await insert('ScheduledSession', { dayId: ids.program_days, sessionTemplateId: ids.session_templates });
  ids.program_day_sessions = await insert('ProgramDaySession', { dayId: ids.program_days, sessionId: ids.session, date: '2026-01-02' });
  ids.goal_levels = await insert('GoalLevel', { type: 'LongTermGoal', displayName: `Long ${label}`, color: '#2563eb', icon: 'compass' });
  ids.goal_pauses = await insert('GoalPause', {
    goalId: ids.goals,
    pausedAt: new Date('2026-01-03T00:00:00Z'),
    resumedAt: new Date('2026-01-04T00:00:00Z'),
  });
  ids.goal_targets = await insert('GoalTarget', { goalId: ids.goals, activityId: ids.activity_definitions, kind: 'threshold', name: `Target ${label}` });
  ids.target_conditions = await insert('TargetCondition', { targetId: ids.goal_targets, metricId: ids.metric_definitions, comparison: '>=', value: 10 });
  ids.goal_activities = await insert('GoalActivity', { goalId: ids.goals, activityId: ids.activity_definitions });
  ids.goal_activity_groups = await insert('GoalActivityGroup', { goalId: ids.goals, groupId: ids.activity_groups });
  ids.session_template_sections = await insert('SessionTemplateSection', { templateId: ids.session_templates, position: 0, name: 'Warm-up', durationMinutes: 10 });
  ids.session_template_activities = await insert('SessionTemplateActivity', {
    sectionId: ids.session_template_sections,
    activityId: ids.activity_definitions,
    position: 0,
  });
  ids.notes = await insert('Note', { aboutType: 'goal', aboutId: ids.goals, content: `Note ${label}` });
  // A deleted row, so that the trash has a deletion of this root (its :deletionId).
  ids.deletion = id();
  await insert('SessionTemplate', { name: `Deleted template ${label}`, deletedAt: new Date('2026-01-05T00:00:00Z'), deletionId: ids.deletion });
  for (const entity of TENANT_ENTITIES) {
    const table = ds.getMetadata(entity).tableName;
    if (!ids[table] && table !== 'goals') throw new Error(`seedTenant does not cover ${table}`);
  }
  return ids as SeededIds;
}

/** The ids of one account's root seeded by seedRoot, by what they are. */
export interface SeededRoot {
  userId: string;
  rootId: string;
  /** A ShortTermGoal of the root. */
  goalId: string;
  sessionId: string;
  groupId: string;
  activityId: string;
  metricId: string;
  splitId: string;
  instanceId: string;
  templateId: string;
  programId: string;
  blockId: string;
  dayId: string;
}

/** A new account (`<label>@example.com`, no password) owning one root seeded by seedTenant. */
export async function seedRoot(ds: DataSource, label: string): Promise<SeededRoot> {
  const userId = randomUUID();
  await ds.getRepository('User').insert({ id: userId, email: `${label.toLowerCase()}@example.com` });
  const ids = await seedTenant(ds, userId, randomUUID(), label);
  return {
    userId,
    rootId: ids.root,
    goalId: ids.shortTermGoal,
    sessionId: ids.session,
    groupId: ids.activity_groups,
    activityId: ids.activity_definitions,
    metricId: ids.metric_definitions,
    splitId: ids.split_definitions,
    instanceId: ids.activity_instances,
    templateId: ids.session_templates,
    programId: ids.programs,
    blockId: ids.program_blocks,
    dayId: ids.program_days,
  };
}

/** Every tenant row of one root, as canonical JSON: compare before and after to prove nothing changed. */
export async function snapshotRoot(ds: DataSource, rootId: string): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const entity of TENANT_ENTITIES) {
    const table = ds.getMetadata(entity).tableName;
    out[table] = await ds.query(`SELECT * FROM "${table}" WHERE root_id = ${ds.options.type === 'postgres' ? '$1' : '?'} ORDER BY id`, [rootId]);
  }
  return JSON.stringify(out);
}
