import { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ScopeEscapeError } from './scope.errors';

/** The parameter that carries a scope's value; nothing else may bind it. */
export const SCOPE_PARAM = '__scope';

/**
 * A SELECT builder that cannot leave its scope. The scope's predicate is not one of the
 * builder's WHERE clauses (which where() replaces and a caller's OR would escape): it is added
 * when the SQL is rendered, as its own bracketed term, for the main table, every joined table
 * and every sub-query alike. So `andWhere('a OR b')` renders as `(a OR b) AND (<scope>)`.
 * What could still widen the query throws instead: orWhere (an OR beside the scope reads as a
 * widening, even where the brackets make it harmless), a second FROM, a join or FROM of a raw
 * table name, a write started from the builder, and binding the scope's parameter.
 * Values reach SQL only as parameters; SQL fragments in conditions are code, reviewed as such.
 */
export abstract class ScopedSelectQueryBuilder<T extends ObjectLiteral> extends SelectQueryBuilder<T> {
  /** The scope's predicate for one alias of one table, or undefined where the table has none. */
  protected abstract predicate(alias: string, metadata: EntityMetadata): string | undefined;

  /** Binds the scope's value once, when the builder is made (setParameter refuses it afterwards). */
  bindScope(value: string): this {
    this.expressionMap.parameters[SCOPE_PARAM] = value;
    return this;
  }

  protected override createWhereExpression(): string {
    const main = this.expressionMap.mainAlias;
    if (!main?.hasMetadata) throw new ScopeEscapeError('a FROM without an entity (a raw table or sub-query)');
    if (typeof this.rootBuilder().expressionMap.parameters[SCOPE_PARAM] !== 'string') throw new ScopeEscapeError('a scoped query without its scope value');
    const scope = this.predicate(main.name, main.metadata);
    if (!scope) return super.createWhereExpression();
    const extra = this.expressionMap.extraAppendedAndWhereCondition;
    this.expressionMap.extraAppendedAndWhereCondition = extra ? `${scope} AND (${extra})` : scope;
    try {
      return super.createWhereExpression();
    } finally {
      this.expressionMap.extraAppendedAndWhereCondition = extra;
    }
  }

  protected override join(
    direction: 'INNER' | 'LEFT',
    entityOrProperty: Function | string | ((qb: SelectQueryBuilder<any>) => SelectQueryBuilder<any>),
    aliasName: string,
    condition?: string,
    parameters?: ObjectLiteral,
    mapToProperty?: string,
    isMappingMany?: boolean,
    mapAsEntity?: Function | string,
  ): void {
    if (typeof entityOrProperty === 'string' && !entityOrProperty.includes('.') && !this.connection.hasMetadata(entityOrProperty)) {
      throw new ScopeEscapeError(`a join of the raw table "${entityOrProperty}"`);
    }
    super.join(direction, entityOrProperty, aliasName, condition, parameters, mapToProperty, isMappingMany, mapAsEntity);
    const joined = this.expressionMap.joinAttributes[this.expressionMap.joinAttributes.length - 1];
    const metadata = joined.alias?.hasMetadata ? joined.alias.metadata : undefined;
    if (!metadata) {
      if (typeof entityOrProperty !== 'function') throw new ScopeEscapeError(`a join without an entity ("${String(entityOrProperty)}")`);
      return; // a sub-query join: the sub-query is a scoped builder itself
    }
    const scope = this.predicate(aliasName, metadata);
    if (scope) joined.condition = joined.condition ? `${scope} AND (${joined.condition})` : scope;
  }

  override setParameter(key: string, value: unknown): this {
    if (key === SCOPE_PARAM) throw new ScopeEscapeError(`binding :${SCOPE_PARAM}`);
    return super.setParameter(key, value);
  }

  /** Inside Brackets or a sub-query an OR stays in its own brackets; beside the scope it does not. */
  override orWhere(...args: Parameters<SelectQueryBuilder<T>['orWhere']>): this {
    if (!this.nested()) throw new ScopeEscapeError('orWhere (put the OR inside one andWhere or Brackets)');
    return super.orWhere(...args);
  }

  override orWhereInIds(..._args: unknown[]): this {
    throw new ScopeEscapeError('orWhereInIds');
  }

  override orWhereExists(..._args: unknown[]): this {
    throw new ScopeEscapeError('orWhereExists');
  }

  override addFrom(..._args: unknown[]): never {
    throw new ScopeEscapeError('addFrom (join through a key instead)');
  }

  override insert(..._args: unknown[]): never {
    throw new ScopeEscapeError("a write started from a scoped SELECT (use the repository's insert)");
  }

  override update(..._args: unknown[]): never {
    throw new ScopeEscapeError("a write started from a scoped SELECT (use the repository's update)");
  }

  override delete(..._args: unknown[]): never {
    throw new ScopeEscapeError("a write started from a scoped SELECT (use the repository's softDelete)");
  }

  override softDelete(..._args: unknown[]): never {
    throw new ScopeEscapeError("a write started from a scoped SELECT (use the repository's softDelete)");
  }

  override restore(..._args: unknown[]): never {
    throw new ScopeEscapeError("a write started from a scoped SELECT (use the repository's restore)");
  }

  private nested(): boolean {
    return (this as unknown as { parentQueryBuilder?: unknown }).parentQueryBuilder !== undefined;
  }

  /** Sub-queries and bracket builders take their parameters from the builder they belong to. */
  private rootBuilder(): SelectQueryBuilder<ObjectLiteral> {
    let qb = this as SelectQueryBuilder<ObjectLiteral>;
    while ((qb as unknown as { parentQueryBuilder?: SelectQueryBuilder<ObjectLiteral> }).parentQueryBuilder) {
      qb = (qb as unknown as { parentQueryBuilder: SelectQueryBuilder<ObjectLiteral> }).parentQueryBuilder;
    }
    return qb;
  }
}

/** Rows of one root: every table with a root_id column is restricted to the context's root. */
export class RootScopedQueryBuilder<T extends ObjectLiteral> extends ScopedSelectQueryBuilder<T> {
  protected predicate(alias: string, metadata: EntityMetadata): string | undefined {
    if (!metadata.findColumnWithDatabaseName('root_id')) throw new ScopeEscapeError(`a query of ${metadata.name}, which has no root_id`);
    return `${alias}.root_id = :${SCOPE_PARAM}`;
  }
}

/** A user's roots, across root ids: root rows of goals whose owner is the context's user. */
export class OwnerScopedQueryBuilder<T extends ObjectLiteral> extends ScopedSelectQueryBuilder<T> {
  protected predicate(alias: string, metadata: EntityMetadata): string | undefined {
    if (!metadata.findColumnWithDatabaseName('user_id') || !metadata.findColumnWithDatabaseName('parent_id')) {
      throw new ScopeEscapeError(`an owner query of ${metadata.name}, which has no owner`);
    }
    return `${alias}.user_id = :${SCOPE_PARAM} AND ${alias}.parent_id IS NULL AND ${alias}.id = ${alias}.root_id`;
  }
}
