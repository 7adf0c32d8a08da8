import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Program dates are calendar dates ('YYYY-MM-DD'), not instants: a plan says "Monday 2 March",
 * wherever its person is. They are computed as whole days counted from 1970-01-01 (UTC
 * arithmetic on the date alone), so the server's time zone, and a daylight-saving change
 * between two dates, never move an occurrence. The client places them in its own time zone.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** The order a day's weekdays are stored and answered in: the week from Monday. */
export const WEEK_ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A real calendar date in 'YYYY-MM-DD' (not 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_TEXT.exec(value);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export const IsCalendarDate = (options: ValidationOptions = {}) =>
  ValidateBy({ name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => '$property must be a calendar date (YYYY-MM-DD)' } }, options);

/** Days since 1970-01-01. */
export const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => dateOf(dayNumber(date) + n);
export const weekdayOf = (date: string): Weekday => WEEKDAYS[(((dayNumber(date) + 4) % 7) + 7) % 7];

/** A program's dates are kept as timestamps at UTC midnight; this is the date they stand for. */
export const dateOfTimestamp = (t: Date) => t.toISOString().slice(0, 10);
export const timestampOf = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** The dates from `from` to `to`, both included. */
export function* datesBetween(from: string, to: string): Generator<string> {
  for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) yield dateOf(d);
}

/** Today's date in UTC: the default end of what is due. */
export const todayUtc = () => new Date().toISOString().slice(0, 10);

/** Stored as 'mon,wed'; answered in week order. */
export const weekdaysText = (days: string[]) => WEEK_ORDER.filter((d) => days.includes(d)).join(',');
export const weekdaysOf = (text: string | null): Weekday[] | null => (text ? (text.split(',') as Weekday[]) : null);
