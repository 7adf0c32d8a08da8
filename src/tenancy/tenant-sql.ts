import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { dialectOf } from '../database/dialect';
import { TENANT_ENTITIES } from '../database/entities';
import { ScopeEscapeError } from './scope.errors';
import type { TenantEntityClass } from './tenant-repository';

/** A tenant table as a statement names it: only ever the root's rows, under an alias. */
export interface TableRef {
  readonly kind: 'table';
  readonly entity: TenantEntityClass<TenantEntity>;
  readonly alias: string;
  readonly live: boolean;
}

/**
 * A parameter that is a list of values, always after `IN` (`x IN ${list}`): bound as one value
 * whatever its length. The `IN` and the list become the dialect's membership test (inList).
 */
export interface ListRef {
  readonly kind: 'list';
}

type Part = TableRef | ListRef;

/** The root's live rows (deleted_at IS NULL) of a table, under an alias. */
export const live = (entity: TenantEntityClass<TenantEntity>, alias: string): TableRef => ({ kind: 'table', entity, alias, live: true });
/** The root's rows of a table, the soft-deleted ones too, under an alias. */
export const rows = (entity: TenantEntityClass<TenantEntity>, alias: string): TableRef => ({ kind: 'table', entity, alias, live: false });
/** A list parameter: one `?`-like slot that takes an array. */
export const list: ListRef = { kind: 'list' };

type Slot = 'arg' | 'list' | 'root';

interface Rendered {
  /** With `?` placeholders: the dialect turns them into its own when it prepares the statement. */
  sql: string;
  /** As the engine runs it, for the log: worked out once, not on every call. */
  logged: string;
  slots: Slot[];
}

const ALIAS = /^[a-z_][a-z0-9_]*$/i;
/** Anything that writes, or changes the connection, anywhere in the text. */
const WRITES = /\b(insert|update|delete|upsert|merge|create|drop|alter|truncate|pragma|attach|detach|vacuum|reindex|analyze|grant|revoke|set)\b|;/i;
/** A FROM or JOIN of a name that is not a function call (json_each(...)): a table not given through live() or rows(). */
const BARE_TABLE = /\b(?:from|join)\s+"?[a-z_][a-z0-9_.]*"?(?!\s*\(|[a-z0-9_."])/i;
/** The `IN` a list follows, at the end of the text before it; the dialect writes its own test instead. */
const LIST_BEFORE = /\s+IN\s*$/i;
const NOT_IN_BEFORE = /\bNOT\s+IN\s*$/i;

/**
 * A read of tenant tables written as SQL, for hot paths where TypeORM's query builder and
 * hydration cost more than the statement (BENCHMARKS.md, issue 17). Its tenant tables can only
 * be named through `live()` and `rows()`, which render as the root's rows, a sub-query
 * `(SELECT * FROM t "a" WHERE "a".root_id = <root> ...) "a"` whose root is bound by the layer
 * from the request's context. Both engines flatten such a sub-query into the statement, so the
 * plan is the one the indexes give. Any other table in a FROM or a join (users included), and
 * anything that writes, is refused when the statement is made; a tenant table's name anywhere
 * in the text (a column named like a table without its alias too) when it is first rendered:
 * this reads the root's rows, the repository writes.
 *
 * Parameters are `?` in the text, and `${list}` for a list; run() takes them in the order the
 * text gives them.
 */
export class TenantStatement {
  private readonly rendered = new WeakMap<DataSource, Rendered>();

  constructor(
    private readonly strings: readonly string[],
    private readonly parts: readonly Part[],
    /** Planned with each call's values (Statement.planPerCall): for statements whose cost depends on how much the root holds. */
    private readonly planPerCall = false,
  ) {
    for (const [k, text] of strings.entries()) {
      if (WRITES.test(text)) throw new ScopeEscapeError('a write in a tenant statement (use the repository)');
      if (BARE_TABLE.test(text)) throw new ScopeEscapeError('a table in a tenant statement not given through live() or rows()');
      if (k > 0 && parts[k - 1]?.kind === 'table' && /^\s*,\s*["a-z_]/i.test(text)) throw new ScopeEscapeError('a table joined by a comma not given through live() or rows()');
    }
    for (const p of parts) if (p.kind === 'table' && !ALIAS.test(p.alias)) throw new ScopeEscapeError(`the alias "${p.alias}"`);
    parts.forEach((p, k) => {
      if (p.kind !== 'list') return;
      if (!LIST_BEFORE.test(strings[k])) throw new TypeError('a list in a tenant statement goes right after IN: `x IN ${list}`');
      if (NOT_IN_BEFORE.test(strings[k])) throw new TypeError('NOT IN a list: write NOT (x IN ${list})');
    });
  }

  /** Runs the statement on the context's root, in its unit of work; answers the rows as the driver gives them. */
  async run<R = Record<string, unknown>>(ctx: RequestContext, params: readonly unknown[] = []): Promise<R[]> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const { sql, logged, slots } = this.render(manager);
    const dialect = dialectOf(manager.connection);
    const values: unknown[] = [];
    let next = 0;
    for (const slot of slots) {
      if (slot === 'root') values.push(rootId);
      else if (next >= params.length) throw new RangeError(`a tenant statement takes more parameters than the ${params.length} given`);
      else values.push(slot === 'list' ? dialect.listValue(params[next++] as readonly unknown[]) : params[next++]);
    }
    if (next !== params.length) throw new RangeError(`a tenant statement takes ${next} parameters, not ${params.length}`);
    // Past TypeORM's query path, prepared once per connection: on PostgreSQL a named statement
    // is not planned again on every call, unless planPerCall asks it to be. Logged as TypeORM logs
    // its own (the query-plan tests read the log).
    manager.connection.logger.logQuery(logged, values, manager.queryRunner);
    return (await dialect.prepared(manager, { sql, params: values, planPerCall: this.planPerCall })) as R[];
  }

  private render(manager: EntityManager): Rendered {
    const source = manager.connection;
    const cached = this.rendered.get(source);
    if (cached) return cached;
    const dialect = dialectOf(source);
    const tables = new Set(TENANT_ENTITIES.map((e) => source.getMetadata(e).tableName.toLowerCase()));
    const slots: Slot[] = [];
    let sql = '';
    this.strings.forEach((text, k) => {
      for (const word of text.toLowerCase().matchAll(/(^|[^.\w"])"?([a-z_][a-z0-9_]*)/g)) {
        if (tables.has(word[2])) throw new ScopeEscapeError(`the tenant table "${word[2]}" named in a tenant statement's text (use live() or rows())`);
      }
      for (const _ of text.matchAll(/\?/g)) slots.push('arg');
      const part = this.parts[k];
      if (part?.kind === 'list') {
        slots.push('list');
        sql += text.replace(LIST_BEFORE, ' ') + dialect.inList('?');
        return;
      }
      sql += text;
      if (!part) return;
      const table = source.getMetadata(part.entity).tableName;
      const a = `"${part.alias}"`;
      slots.push('root');
      sql += `(SELECT * FROM "${table}" ${a} WHERE ${a}."root_id" = ?${part.live ? ` AND ${a}."deleted_at" IS NULL` : ''}) ${a}`;
    });
    const out = { sql, logged: dialect.sql(sql), slots };
    this.rendered.set(source, out);
    return out;
  }
}

/** A value bound to a `?` of the text, or a list bound to one list slot. */
interface Bound {
  readonly kind: 'bound';
  readonly value: unknown;
  readonly list: boolean;
}

/**
 * A piece of a tenant statement: its text, its tables and lists, and the values it binds, in
 * text order. A fragment can go into another, so that a sub-query is written once and used
 * as often as the text needs it, each use scoped to the root.
 */
export interface Fragment {
  readonly kind: 'fragment';
  readonly strings: readonly string[];
  readonly parts: readonly Part[];
  readonly params: readonly unknown[];
}

/** A value of the request, bound where the text reads it. */
export const bind = (value: unknown): Bound => ({ kind: 'bound', value, list: false });
/** A list of values, bound as one value whatever its length (`x IN ${bindList(ids)}`). */
export const bindList = (values: readonly unknown[]): Bound => ({ kind: 'bound', value: values, list: true });
/** Text made by the code, never from the request: a column or alias name, an aggregate's name. */
export const text = (s: string): Fragment => ({ kind: 'fragment', strings: [s], parts: [], params: [] });
export const EMPTY = text('');

type Interpolated = TableRef | ListRef | Fragment | Bound;

/**
 * Composes a fragment: sql`SELECT ... FROM ${live(Goal, 'g')} WHERE g.id = ${bind(id)}`. Each
 * bound value takes its `?` where the text reads it, so the order of the values is the order
 * of the text by construction. The text is checked when a statement is made of it.
 */
export function sql(strings: TemplateStringsArray | readonly string[], ...xs: Interpolated[]): Fragment {
  const outStrings = [strings[0]];
  const parts: Part[] = [];
  const params: unknown[] = [];
  const append = (s: string) => (outStrings[outStrings.length - 1] += s);
  xs.forEach((x, k) => {
    if (x.kind === 'table' || x.kind === 'list') {
      parts.push(x);
      outStrings.push('');
    } else if (x.kind === 'bound') {
      if (x.list) {
        parts.push(list);
        outStrings.push('');
      } else append('?');
      params.push(x.value);
    } else {
      append(x.strings[0]);
      x.parts.forEach((part, p) => {
        parts.push(part);
        outStrings.push(x.strings[p + 1]);
      });
      params.push(...x.params);
    }
    append(strings[k + 1]);
  });
  return { kind: 'fragment', strings: outStrings, parts, params };
}

/**
 * Defines a fixed tenant statement, made once: tenantSql`SELECT ... FROM ${live(Goal, 'g')} WHERE g.id = ?`.
 * Its values come at run(), in the order of the text: `?` for a value, `${list}` for a list.
 * Fragments without bound values may go into it.
 */
export function tenantSql(strings: TemplateStringsArray, ...xs: (TableRef | ListRef | Fragment)[]): TenantStatement {
  const f = sql(strings, ...xs);
  if (f.params.length) throw new TypeError('a bound value in a fixed tenant statement: its values are given to run()');
  return new TenantStatement(f.strings, f.parts);
}

const statements = new Map<string, TenantStatement>();

/**
 * Runs a composed fragment on the context's root, with the values it binds. A statement is made
 * once per shape of text and tables; the shapes are the code's (text() never takes the request's
 * input), so their number stays small. Composed statements are the analytics' reads, whose cost
 * grows with the root and the window: each call is planned with its values (planPerCall).
 */
export function runFragment<R = Record<string, unknown>>(ctx: RequestContext, f: Fragment): Promise<R[]> {
  const key = f.strings.join('\u0000') + f.parts.map((p) => (p.kind === 'table' ? `\u0001${p.entity.name}:${p.alias}:${p.live}` : '\u0001[]')).join('');
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = new TenantStatement(f.strings, f.parts, true)));
  return statement.run<R>(ctx, f.params);
}
