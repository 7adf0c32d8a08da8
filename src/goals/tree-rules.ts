import { Goal } from './goal.entity';
import { badField, conflict } from './goal-errors';
import { GoalTree } from './goal-tree';
import { childTypeOf, GOAL_TYPES, GoalType } from './goal.types';
import { Level } from './levels.service';

/** The level rule: a goal's type is the level directly below its parent's (400 naming the field). */
export function checkLevel(parentType: GoalType, type: GoalType, field: string): void {
  const expected = childTypeOf(parentType);
  if (!expected) throw badField(field, `a ${parentType} has no level below it`);
  if (type === 'PracticeSession' && expected === 'PracticeSession' && field === 'type') {
    throw badField('type', 'PracticeSession goals are created through the sessions routes');
  }
  if (type !== expected) {
    throw badField(
      field,
      field === 'type' ? `type must be ${expected} under a ${parentType}` : `a ${type} goes under a ${GOAL_TYPES[GOAL_TYPES.indexOf(type) - 1] ?? 'nothing'}, not a ${parentType}`,
    );
  }
}

/** A level's maxChildren: one more child than it allows is a 409. */
export function checkRoom(parentLevel: Level, children: number): void {
  if (parentLevel.maxChildren !== null && children >= parentLevel.maxChildren) {
    throw conflict(`A ${parentLevel.displayName} may have at most ${parentLevel.maxChildren} children in this root.`);
  }
}

/** The earliest deadline of a goal and its ancestors: what a goal below it may not pass. */
export function deadlineBound(tree: GoalTree<Goal>, goalId: string): Date | null {
  const chain = [...tree.ancestorsOf(goalId), tree.get(goalId)].filter((g): g is Goal => g !== undefined);
  const deadlines = chain.map((g) => g.deadline).filter((d): d is Date => d !== null);
  return deadlines.length ? new Date(Math.min(...deadlines.map((d) => d.getTime()))) : null;
}

/** After the last sibling. */
export const nextOrder = (siblings: { sortOrder: number }[]) => (siblings.length ? Math.max(...siblings.map((s) => s.sortOrder)) + 1 : 0);
