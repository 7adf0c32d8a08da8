import { GoalType } from './goal.types';

/** The columns of a goal that the tree rules need. */
export interface TreeRow {
  id: string;
  parentId: string | null;
  type: GoalType;
  sortOrder: number;
  createdAt: Date;
}

/**
 * A root's goals in memory, indexed by id and by parent: one indexed query reads them
 * (goals by root_id), and ancestors, subtrees, depths and sibling orders are walked here.
 * A root holds hundreds of goals and some thousands of sessions, so this stays small; the
 * alternative, a recursive query per walk, would cost a round trip each.
 */
export class GoalTree<T extends TreeRow = TreeRow> {
  readonly byId = new Map<string, T>();
  private readonly children = new Map<string, T[]>();

  constructor(rows: T[]) {
    for (const row of rows) this.byId.set(row.id, row);
    for (const row of rows) {
      if (row.parentId === null || !this.byId.has(row.parentId)) continue;
      const list = this.children.get(row.parentId) ?? [];
      list.push(row);
      this.children.set(row.parentId, list);
    }
    for (const list of this.children.values()) list.sort(siblingOrder);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  childrenOf(id: string): T[] {
    return this.children.get(id) ?? [];
  }

  /** From the root down to the goal's parent. */
  ancestorsOf(id: string): T[] {
    const out: T[] = [];
    const seen = new Set<string>([id]);
    let parentId = this.byId.get(id)?.parentId ?? null;
    while (parentId !== null && !seen.has(parentId)) {
      const parent = this.byId.get(parentId);
      if (!parent) break;
      out.unshift(parent);
      seen.add(parentId);
      parentId = parent.parentId;
    }
    return out;
  }

  /** The goal and everything below it, parents before children. */
  subtreeOf(id: string): T[] {
    const start = this.byId.get(id);
    if (!start) return [];
    const out: T[] = [start];
    const seen = new Set<string>([start.id]);
    for (let i = 0; i < out.length; i++) {
      for (const child of this.childrenOf(out[i].id)) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        out.push(child);
      }
    }
    return out;
  }

  isInSubtree(id: string, of: string): boolean {
    return id === of || this.ancestorsOf(id).some((a) => a.id === of);
  }
}

/** Siblings by sortOrder, then creation time, then id (so that the order is total). */
export function siblingOrder(a: TreeRow, b: TreeRow): number {
  return a.sortOrder - b.sortOrder || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
