import { GOAL_TYPES, GoalType } from '../goals/goal.types';

/** A live goal of the root as the goal analytics read it (sessions included: they are goals too). */
export interface GoalRow {
  id: string;
  parentId: string | null;
  type: GoalType;
  name: string;
  completed: boolean;
  createdAt: Date;
  completedAt: Date | null;
  pausedAt: Date | null;
  /** Sessions: their start (else creation) and active duration. */
  at: Date;
  seconds: number | null;
}

/** The root's goals as a tree, with which sessions count as practice of which goal. */
export class GoalGraph {
  readonly byId = new Map<string, GoalRow>();
  private readonly children = new Map<string, GoalRow[]>();
  /** Per goal, the sessions that practise it: below it, linked to it, or to a goal below it. */
  private readonly practice = new Map<string, Set<string>>();

  constructor(rows: GoalRow[], links: { sessionId: string; goalId: string }[]) {
    for (const r of rows) this.byId.set(r.id, r);
    for (const r of rows) {
      if (!r.parentId || !this.byId.has(r.parentId)) continue;
      const list = this.children.get(r.parentId) ?? [];
      list.push(r);
      this.children.set(r.parentId, list);
    }
    const credit = (sessionId: string, from: string | null) => {
      for (let id = from; id && this.byId.has(id); id = this.byId.get(id)!.parentId) {
        const set = this.practice.get(id) ?? new Set<string>();
        set.add(sessionId);
        this.practice.set(id, set);
      }
    };
    for (const r of rows) if (r.type === 'PracticeSession') credit(r.id, r.parentId);
    for (const l of links) if (this.byId.get(l.sessionId)?.type === 'PracticeSession') credit(l.sessionId, l.goalId);
  }

  /** The goal's descendants, live ones only, in no set order. */
  descendants(id: string): GoalRow[] {
    const out: GoalRow[] = [];
    const stack = [...(this.children.get(id) ?? [])];
    while (stack.length) {
      const g = stack.pop()!;
      out.push(g);
      stack.push(...(this.children.get(g.id) ?? []));
    }
    return out;
  }

  /** The sessions that practise the goal; for a goal below a session, that session as well. */
  sessionsOf(id: string): GoalRow[] {
    const ids = new Set(this.practice.get(id) ?? []);
    for (let p = this.byId.get(id)?.parentId; p && this.byId.has(p); p = this.byId.get(p)!.parentId) {
      if (this.byId.get(p)!.type === 'PracticeSession') ids.add(p);
    }
    return [...ids].map((s) => this.byId.get(s)!).sort((a, b) => b.at.getTime() - a.at.getTime());
  }
}

/** Goals per level, in the order of the levels, with how many are completed. */
export function levelsOf(goals: GoalRow[]) {
  return GOAL_TYPES.map((type) => {
    const of = goals.filter((g) => g.type === type);
    const completed = of.filter((g) => g.completed).length;
    return { type, total: of.length, completed, share: of.length ? completed / of.length : null };
  }).filter((l) => l.total > 0);
}
