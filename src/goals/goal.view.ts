import { Goal } from './goal.entity';

/** What the API shows of a root; internal columns (owner, audit ids, deletion id) stay inside. */
export function toRootView(goal: Goal) {
  return {
    id: goal.id,
    type: goal.type,
    name: goal.name,
    description: goal.description,
    deadline: goal.deadline,
    completed: goal.completed,
    completedAt: goal.completedAt,
    createdAt: goal.createdAt,
    updatedAt: goal.updatedAt,
    deletedAt: goal.deletedAt,
    version: goal.version,
  };
}
export type RootView = ReturnType<typeof toRootView>;

/** What an administrator sees of a root: the same view, with its owner. */
export function toAdminRootView(goal: Goal) {
  return { ...toRootView(goal), ownerId: goal.userId };
}

/** What the API shows of any goal of the tree. */
export function toGoalView(goal: Goal) {
  return {
    id: goal.id,
    parentId: goal.parentId,
    type: goal.type,
    name: goal.name,
    description: goal.description,
    relevance: goal.relevance,
    deadline: goal.deadline,
    sortOrder: goal.sortOrder,
    completed: goal.completed,
    completedAt: goal.completedAt,
    completionSource: goal.completionSource,
    completedBySessionId: goal.completedBySessionId,
    manuallyUncompletedAt: goal.manuallyUncompletedAt,
    paused: goal.pausedAt !== null,
    pausedAt: goal.pausedAt,
    ...(goal.type === 'PracticeSession' ? { sessionStart: goal.sessionStart, sessionEnd: goal.sessionEnd } : {}),
    createdAt: goal.createdAt,
    updatedAt: goal.updatedAt,
    version: goal.version,
  };
}
export type GoalView = ReturnType<typeof toGoalView>;
export type GoalNode = GoalView & { children: GoalNode[] };
