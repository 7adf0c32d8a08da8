import { Goal } from './goal.entity';
import { GoalTarget } from './goal-target.entity';

export type GoalChangeKind = 'deadline' | 'completed' | 'uncompleted';

export interface GoalChange {
  id: string;
  type: string;
  name: string;
  change: GoalChangeKind;
  deadline: Date | null;
  completed: boolean;
  completionSource: string | null;
}

export interface TargetChange {
  id: string;
  goalId: string;
  change: 'met' | 'unmet';
  metBySessionId: string | null;
}

/**
 * What a request changed beyond what it was asked to change (deadlines moved along,
 * completions cascaded, targets met or un-met), collected as it happens, for the answer.
 */
export class Changes {
  private readonly goals = new Map<string, GoalChange>();
  private readonly targets = new Map<string, TargetChange>();

  goal(goal: Goal, change: GoalChangeKind): void {
    const key = `${goal.id}:${change === 'deadline' ? 'deadline' : 'completion'}`;
    const previous = this.goals.get(key);
    // Completed then un-completed in one request (or the reverse) is no change at all.
    if (previous && previous.change !== change && change !== 'deadline') {
      this.goals.delete(key);
      return;
    }
    this.goals.set(key, {
      id: goal.id,
      type: goal.type,
      name: goal.name,
      change,
      deadline: goal.deadline,
      completed: goal.completed,
      completionSource: goal.completionSource,
    });
  }

  target(target: GoalTarget, change: 'met' | 'unmet'): void {
    const previous = this.targets.get(target.id);
    if (previous && previous.change !== change) {
      this.targets.delete(target.id);
      return;
    }
    this.targets.set(target.id, { id: target.id, goalId: target.goalId, change, metBySessionId: target.metBySessionId });
  }

  /** The answer's `changed`, leaving out the goal the request was about. */
  view(exceptGoalId?: string) {
    return {
      goals: [...this.goals.values()].filter((g) => g.id !== exceptGoalId),
      targets: [...this.targets.values()],
    };
  }
}
