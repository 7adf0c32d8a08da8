import { addDays, bucketEnd, bucketOf, calendarOf, isTimeZone, localDay, localHour, startOfDay, weekOf } from '../../src/analytics/time-zone';

/** The calendar of the analytics, by hand, across daylight-saving changes. */
describe('analytics: local days in a time zone', () => {
  it.each([
    // Berlin springs forward on 2026-03-29 (23 hours) and falls back on 2026-10-25 (25 hours).
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    // Santiago skips its midnight on 2026-09-06: the day starts at 01:00 local.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'],
    ['2026-01-01', 'Asia/Kolkata', '2025-12-31T18:30:00.000Z', '2026-01-01T18:30:00.000Z'],
    ['2026-01-01', 'UTC', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
  ])('%s in %s runs from %s to %s', (day, zone, start, end) => {
    expect(startOfDay(day, zone).toISOString()).toBe(start);
    expect(startOfDay(addDays(day, 1), zone).toISOString()).toBe(end);
    expect(localDay(new Date(start), zone)).toBe(day);
    expect(localDay(new Date(Date.parse(start) - 1), zone)).toBe(addDays(day, -1));
  });

  it('buckets days into ISO weeks (from Monday) and months', () => {
    expect(weekOf('2026-03-29')).toBe('2026-03-23');
    expect(weekOf('2026-03-30')).toBe('2026-03-30');
    expect(weekOf('2026-01-01')).toBe('2025-12-29');
    expect(bucketOf('2026-02-14', 'month')).toBe('2026-02-01');
    expect(bucketEnd('2026-12-01', 'month')).toBe('2027-01-01');
    expect(bucketEnd('2026-03-23', 'week')).toBe('2026-03-30');
  });

  it('reads local hours, and knows IANA zones', () => {
    expect(localHour(new Date('2026-03-29T21:30:00Z'), 'Europe/Berlin')).toBe(23);
    expect(localHour(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(1);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it.each(['UTC', 'Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu'])('a calendar of %s reads the same days and starts as localDay and startOfDay', (zone) => {
    const calendar = calendarOf(zone);
    // Every 97 minutes over two years: both daylight-saving changes of each year, at all hours.
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 97 * 60_000) {
      const day = calendar.day(t);
      expect(day).toBe(localDay(new Date(t), zone));
      expect(calendar.start(day)).toBe(startOfDay(day, zone).getTime());
    }
    expect(calendarOf(zone).day(Date.parse('0999-06-01T12:00:00Z'))).toBe(localDay(new Date('0999-06-01T12:00:00Z'), zone));
  });

  it('adds days, finds weeks and months as Date does, from year 1000 to 9999 and beyond', () => {
    const byDate = (day: string, n: number) => {
      const [y, m, d] = day.split('-').map(Number);
      return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
    };
    const days = ['1000-01-01', '1600-02-29', '1899-12-31', '1900-02-28', '1970-01-01', '2000-02-29', '2024-12-31', '2100-03-01', '9999-12-25', '2026-02-30'];
    for (let t = Date.UTC(1999, 0, 1); t < Date.UTC(2005, 0, 1); t += 86400_000) days.push(new Date(t).toISOString().slice(0, 10));
    for (const day of days) {
      for (const n of [-400, -7, -1, 0, 1, 7, 31, 366]) expect(addDays(day, n)).toBe(byDate(day, n));
      const [y, m, d] = day.split('-').map(Number);
      expect(weekOf(day)).toBe(byDate(day, -((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7)));
    }
    expect(addDays('9999-12-31', 1)).toBe('+010000-01-01'.slice(0, 10));
    expect(addDays('1000-01-01', -1)).toBe('0999-12-31');
  });

  it('a UTC calendar reads instants outside the years 1000 to 9999 as localDay does', () => {
    const calendar = calendarOf('UTC');
    for (const at of ['0999-12-31T23:59:59.999Z', '1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z']) {
      expect(calendar.day(Date.parse(at))).toBe(localDay(new Date(at), 'UTC'));
    }
    expect(calendar.start('1000-01-01')).toBe(Date.parse('1000-01-01T00:00:00.000Z'));
    expect(calendar.start('0999-12-31')).toBe(startOfDay('0999-12-31', 'UTC').getTime());
  });
});
