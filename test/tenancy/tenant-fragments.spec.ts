import { MetricValue } from '../../src/sessions/metric-value.entity';
import { bind, bindList, EMPTY, list, live, sql, tenantSql, text } from '../../src/tenancy/tenant-sql';

/** Composing tenant statements from fragments, without a database (running them: tenant-sql.db.spec.ts). */
describe('tenant statement fragments', () => {
  it('binds each value where its fragment reads it, however fragments nest', () => {
    const split = sql` AND ${text('v.split_definition_id = ')}${bind('split')}`;
    const inner = sql`(SELECT MAX(v.value) FROM ${live(MetricValue, 'v')} WHERE v.metric_definition_id = ${bind('metric')}${split})`;
    const f = sql`SELECT ${inner} AS a WHERE x = ${bind(1)} AND y IN ${bindList(['a', 'b'])}${EMPTY} AND z = ${bind(2)}`;
    expect(f.params).toEqual(['metric', 'split', 1, ['a', 'b'], 2]);
    expect(f.parts.map((p) => p.kind)).toEqual(['table', 'list']);
    expect(f.strings).toEqual(['SELECT (SELECT MAX(v.value) FROM ', ' WHERE v.metric_definition_id = ? AND v.split_definition_id = ?) AS a WHERE x = ? AND y IN ', ' AND z = ?']);
  });

  it("keeps a fixed statement's values for run(): a bound value in it is refused", () => {
    const sub = sql`(SELECT MAX(v.value) FROM ${live(MetricValue, 'v')} WHERE v.id IN ${list})`;
    expect(() => tenantSql`SELECT ${sub} AS a`).not.toThrow();
    expect(() => tenantSql`SELECT ${sql`${bind(1)}`} AS a`).toThrow(TypeError);
  });
});
