import { sqliteTextMs } from '../../src/analytics/analytics-dates';
import { bind, bindList, EMPTY, sql, text } from '../../src/analytics/series-sql';
import { sqliteDialect } from '../../src/database/dialects/sqlite';
import { MetricValue } from '../../src/sessions/metric-value.entity';
import { live } from '../../src/tenancy/tenant-sql';

/** The series' composed statements and its reading of SQLite's timestamps, without a database. */
describe('analytics: series statements', () => {
  it('binds each value where its fragment reads it, however fragments nest', () => {
    const split = sql` AND ${text('v.split_definition_id = ')}${bind('split')}`;
    const inner = sql`(SELECT MAX(v.value) FROM ${live(MetricValue, 'v')} WHERE v.metric_definition_id = ${bind('metric')}${split})`;
    const f = sql`SELECT ${inner} AS a WHERE x = ${bind(1)} AND y IN ${bindList(['a', 'b'])}${EMPTY} AND z = ${bind(2)}`;
    expect(f.params).toEqual(['metric', 'split', 1, ['a', 'b'], 2]);
    expect(f.parts.map((p) => p.kind)).toEqual(['table', 'list']);
    expect(f.strings).toEqual(['SELECT (SELECT MAX(v.value) FROM ', ' WHERE v.metric_definition_id = ? AND v.split_definition_id = ?) AS a WHERE x = ? AND y IN ', ' AND z = ?']);
  });

  it.each([
    '2013-03-26 00:24:31.341',
    '2026-03-29 01:00:00.000',
    '2024-02-29 23:59:59.999',
    // Date's parser rolls these over, as Date.UTC does.
    '2020-04-31 10:00:00.000',
    '2021-02-30 00:00:00.000',
    '1000-01-01 00:00:00.000',
    '9999-12-31 23:59:59.999',
  ])('reads %s as the dialect does', (at) => {
    expect(sqliteTextMs(at)).toBe(sqliteDialect.instant(at).getTime());
  });

  it.each(['0099-01-01 00:00:00.000', '2026-03-29T01:00:00.000', '2026-03-29 01:00:00', '2026-03-29 01:00:00.000Z', '2026-13-01 00:00:00.000', '2026-03-29 24:00:00.000', '2026-0a-29 01:00:00.000'])(
    'leaves %s to the dialect',
    (at) => expect(sqliteTextMs(at)).toBeUndefined(),
  );
});
