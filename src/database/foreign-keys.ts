import { ForeignKey } from 'typeorm';
import type { OnDeleteType } from 'typeorm/metadata/types/OnDeleteType';

/**
 * The referenced entity: a thunk, or its name. Goals are named ('Goal'): every tenant entity
 * refers to them, and importing goal.entity everywhere would tie every feature folder to
 * src/goals and src/goals back to them (the folder-cycle rule forbids it).
 */
type Target = (() => Function) | string;

/** The tenant wall: every tenant row points at its root goal, and goes with it. */
export const RootFk = (table: string) =>
  ForeignKey('Goal' as never, ['root_id'], ['id'], { name: `fk_${table}_root`, onDelete: 'CASCADE' }) as ClassDecorator;

/**
 * A reference inside one tenant: (root_id, column) -> parent(root_id, id). The database
 * itself refuses a row whose parent belongs to another root.
 */
export const TenantFk = (table: string, column: string, target: Target, onDelete: OnDeleteType = 'NO ACTION') =>
  ForeignKey(target as never, ['root_id', column], ['root_id', 'id'], {
    name: `fk_${table}_${column}`,
    onDelete,
  }) as ClassDecorator;
