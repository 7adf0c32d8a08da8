import { sqliteTextMs } from '../../src/analytics/analytics-dates';
import { sqliteDialect } from '../../src/database/dialects/sqlite';

/** The series' reading of SQLite's timestamps, without a database. */
describe('analytics: series dates', () => {
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
