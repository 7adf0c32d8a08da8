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

/**
 * Days as numbers (days since 1970-01-01), for the days of years 1000 to 9999 only: there the
 * arithmetic below gives what Date gives, and a day's text is four digits, two and two. The
 * functions below read and write days through them, by the thousand per request, without a
 * Date or a split; other years take Date's way, as before.
 */
const digit = (s: string, k: number) => s.charCodeAt(k) - 48;

/** The number of a day 'YYYY-MM-DD' of years 1000 to 9999; NaN for anything else. */
function dayNumber(day: string): number {
  if (day.length !== 10 || day[4] !== '-' || day[7] !== '-') return NaN;
  for (let k = 0; k < 10; k++) if (k !== 4 && k !== 7 && (day.charCodeAt(k) < 48 || day.charCodeAt(k) > 57)) return NaN;
  const y = digit(day, 0) * 1000 + digit(day, 1) * 100 + digit(day, 2) * 10 + digit(day, 3);
  const m = digit(day, 5) * 10 + digit(day, 6);
  const d = digit(day, 8) * 10 + digit(day, 9);
  if (!(y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return NaN;
  // Days from civil (H. Hinnant): March-based years, so that the leap day ends a year.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The text of a day number, if its year is 1000 to 9999. */
function dayText(n: number): string | undefined {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y >= 1000 && y <= 9999 ? `${y}-${two(m)}-${two(d)}` : undefined;
}

/** The day `n` days after `day` (calendar days: no time zone involved). */
export function addDays(day: string, n: number): string {
  const k = dayNumber(day);
  const fast = Number.isNaN(k) ? undefined : dayText(k + n);
  if (fast !== undefined) return fast;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of a day's ISO week. */
export function weekOf(day: string): string {
  const k = dayNumber(day);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  if (!Number.isNaN(k)) return addDays(day, -(((k % 7) + 10) % 7));
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
  /** The local day of an instant (milliseconds). */
  day(instant: number): string;
  /** The first instant of a local day, in milliseconds. */
  start(day: string): number;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** en-CA's date alone, 'YYYY-MM-DD': a third cheaper than the date and time, and no match to run. */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

/**
 * UTC needs no Intl at all: its days are the ISO dates (years 1000 to 9999, where the general
 * path gives the same text; outside them it is used). Elsewhere a day is read with a date-only
 * format where it gives four digits, two and two, and else as localDay reads it.
 */
export function calendarOf(timeZone: string): Calendar {
  const starts = new Map<string, number>();
  const utc = timeZone === 'UTC';
  const f = utc ? undefined : dayFormat(timeZone);
  return {
    utc,
    day(instant) {
      if (utc) {
        const fast = dayText(Math.floor(instant / 86400_000));
        if (fast !== undefined) return fast;
      } else {
        const text = f!.format(instant);
        if (text.length === 10 && text[4] === '-' && text[7] === '-' && !Number.isNaN(dayNumber(text))) return text;
      }
      return localDay(instant, timeZone);
    },
    start(day) {
      let start = starts.get(day);
      if (start === undefined) {
        const k = utc ? dayNumber(day) : NaN;
        start = Number.isNaN(k) ? startOfDay(day, timeZone).getTime() : k * 86400_000;
        starts.set(day, start);
      }
      return start;
    },
  };
}
