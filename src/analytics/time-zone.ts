/**
 * Calendar arithmetic in an IANA time zone, with Intl only: the same on every engine (SQLite
 * has no time zones), and exact across daylight-saving changes. A local day is 'YYYY-MM-DD';
 * its instants run from startOfDay(day) to startOfDay(nextDay(day)), 23 to 25 hours apart.
 */
export type Bucket = 'session' | 'day' | 'week' | 'month';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** True for a zone Intl knows (IANA names, and UTC). */
export function isTimeZone(value: string): boolean {
  try {
    format(value);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** en-CA's numeric form; format() and a match cost a third of formatToParts(). */
const EN_CA = /^(\d{4})-(\d{2})-(\d{2}), (\d{2}):(\d{2}):(\d{2})$/;

function parts(instant: Date | number, timeZone: string): Wall {
  const f = format(timeZone);
  const m = EN_CA.exec(f.format(instant));
  if (m) return { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] };
  // Another ICU's form, or a year of other than four digits: read it part by part.
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as unknown as Wall;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local day of an instant. */
export function localDay(instant: Date | number, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The local hour (0-23) of an instant. */
export function localHour(instant: Date, timeZone: string): number {
  return parts(instant, timeZone).hour;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const p = parts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The first instant of a local day (its midnight, or the first minute after a gap at midnight). */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // The offset at the guess, then at the corrected guess: two steps settle on either side of a change.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  // In a gap the wall midnight does not exist: the day starts at the first instant that reads as that day.
  if (localDay(guess, timeZone) !== day) guess += 3600_000;
  return new Date(guess);
}

/** The day `n` days after `day` (calendar days: no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of a day's ISO week. */
export function weekOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The first day of the bucket (day, week or month) a local day falls in. */
export function bucketOf(day: string, bucket: Exclude<Bucket, 'session'>): string {
  if (bucket === 'day') return day;
  if (bucket === 'week') return weekOf(day);
  return `${day.slice(0, 7)}-01`;
}

/** The first day after the bucket that starts on `first`. */
export function bucketEnd(first: string, bucket: Exclude<Bucket, 'session'>): string {
  if (bucket === 'day') return addDays(first, 1);
  if (bucket === 'week') return addDays(first, 7);
  const [y, m] = first.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  const ms = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((ms(b) - ms(a)) / 86400_000);
}

/** Local days of one zone, for a request that reads many: each day's start is worked out once. */
export interface Calendar {
  /** UTC: no daylight saving, a day is 24 hours. */
  utc: boolean;
  day(instant: Date): string;
  start(day: string): Date;
}

/**
 * UTC needs no Intl at all: its days are the ISO dates (years 1000 to 9999, where the general
 * path gives the same text; outside them it is used).
 */
export function calendarOf(timeZone: string): Calendar {
  const starts = new Map<string, Date>();
  const utc = timeZone === 'UTC';
  return {
    utc,
    day(instant) {
      if (utc) {
        const iso = instant.toISOString();
        if (iso.length === 24 && iso[0] !== '0') return iso.slice(0, 10);
      }
      return localDay(instant, timeZone);
    },
    start(day) {
      let start = starts.get(day);
      if (!start) {
        const year = Number(day.slice(0, 4));
        start = utc && year >= 1000 ? new Date(Date.UTC(year, Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)))) : startOfDay(day, timeZone);
        starts.set(day, start);
      }
      return start;
    },
  };
}
