/** The eight levels of a fractal, from the root down. */
export const GOAL_TYPES = [
  'UltimateGoal',
  'LongTermGoal',
  'MidTermGoal',
  'ShortTermGoal',
  'PracticeSession',
  'ImmediateGoal',
  'MicroGoal',
  'NanoGoal',
] as const;
export type GoalType = (typeof GOAL_TYPES)[number];

/** Types a root may have. */
export const ROOT_TYPES: GoalType[] = ['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal'];

export const GOAL_TYPE_CHECK = `"type" IN (${GOAL_TYPES.map((t) => `'${t}'`).join(', ')})`;
