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

/** The level directly below a type, or undefined for the leaves (NanoGoal). */
export function childTypeOf(type: GoalType): GoalType | undefined {
  return GOAL_TYPES[GOAL_TYPES.indexOf(type) + 1];
}

/** 0 for UltimateGoal, 7 for NanoGoal. */
export function rankOf(type: GoalType): number {
  return GOAL_TYPES.indexOf(type);
}

/** How a goal came to be completed. */
export const COMPLETION_SOURCES = ['manual', 'targets', 'children'] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];
