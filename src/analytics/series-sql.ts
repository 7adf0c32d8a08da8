import { RequestContext } from '../context/request-context';
import { list, ListRef, TableRef, TenantStatement } from '../tenancy/tenant-sql';

/** A value bound to a `?` of the text, or a list bound to one `IN` slot. */
interface Bound {
  readonly kind: 'bound';
  readonly value: unknown;
  readonly list: boolean;
}

/** A piece of a series statement: its text, its tables, and the values it binds, in text order. */
export interface Fragment {
  readonly kind: 'fragment';
  readonly strings: string[];
  readonly parts: (TableRef | ListRef)[];
  readonly params: unknown[];
}

export const bind = (value: unknown): Bound => ({ kind: 'bound', value, list: false });
export const bindList = (values: readonly unknown[]): Bound => ({ kind: 'bound', value: values, list: true });
/** Text made by the code (never from the request): column and alias names, an aggregate's name. */
export const text = (s: string): Fragment => ({ kind: 'fragment', strings: [s], parts: [], params: [] });
export const EMPTY = text('');

/**
 * The series' statements vary with the request (a split, a window, the factors of a yield), so
 * they are composed from fragments, each binding its values where its text reads them: the
 * order of the `?`s is the order of the values by construction. The composed text is a tenant
 * statement (src/tenancy/tenant-sql: its tables only through live()), made once per shape.
 */
export function sql(strings: TemplateStringsArray, ...xs: (TableRef | Fragment | Bound)[]): Fragment {
  const out: Fragment = { kind: 'fragment', strings: [strings[0]], parts: [], params: [] };
  const text = (s: string) => (out.strings[out.strings.length - 1] += s);
  xs.forEach((x, k) => {
    if (x.kind === 'table') {
      out.parts.push(x);
      out.strings.push('');
    } else if (x.kind === 'bound') {
      if (x.list) {
        out.parts.push(list);
        out.strings.push('');
      } else text('?');
      out.params.push(x.value);
    } else {
      text(x.strings[0]);
      for (let p = 0; p < x.parts.length; p++) {
        out.parts.push(x.parts[p]);
        out.strings.push(x.strings[p + 1]);
      }
      out.params.push(...x.params);
    }
    text(strings[k + 1]);
  });
  return out;
}

const statements = new Map<string, TenantStatement>();

/** Runs a composed statement on the context's root. */
export function runFragment<R>(ctx: RequestContext, f: Fragment): Promise<R[]> {
  const key = f.strings.join('\u0000') + f.parts.map((p) => (p.kind === 'table' ? `\u0001${p.entity.name}:${p.alias}:${p.live}` : '\u0001[]')).join('');
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = new TenantStatement(f.strings, f.parts)));
  return statement.run<R>(ctx, f.params);
}
