/**
 * How Flask-era values are read, as SQL expressions over one legacy column.
 *
 * Timestamps: the Flask app wrote datetime.utcnow() and SQLite CURRENT_TIMESTAMP, both naive
 * UTC, so a naive time is read as UTC; a time carrying Z or an offset is converted to UTC.
 * Everything is stored the way TypeORM's SQLite driver writes it: 'YYYY-MM-DD HH:MM:SS.fff'
 * (the common 6-digit microsecond form stays byte-equal; no digit is ever dropped).
 */

const DATE_GLOB = '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]';
const TIME_GLOB = '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]';
const DIGITS = (n: number) => '[0-9]'.repeat(n);

const TS_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Parses one legacy timestamp into the storage form, or returns null when it cannot be read. */
export function normalizeTimestamp(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isFinite(n)) return null;
    // Epoch seconds; values this large can only be milliseconds.
    const ms = Math.abs(n) > 1e11 ? n : n * 1000;
    const d = new Date(ms);
    if (Number.isNaN(d.getTime())) return null;
    return d.toISOString().replace('T', ' ').replace('Z', '');
  }
  if (typeof value !== 'string') return null;
  const m = TS_RE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac, zone] = m;
  const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(base);
  if (
    check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d ||
    check.getUTCHours() !== +h || check.getUTCMinutes() !== +mi || check.getUTCSeconds() !== +s
  ) {
    return null;
  }
  let offsetMin = 0;
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (+z.slice(1, 3) * 60 + +z.slice(3, 5));
  }
  const t = new Date(base - offsetMin * 60_000);
  const digits = frac ?? '';
  // Keep every digit up to microseconds; nanosecond digits beyond that cannot be stored.
  if (digits.length > 6 && /[1-9]/.test(digits.slice(6))) return null;
  const fraction = digits.length <= 3 ? digits.padEnd(3, '0') : digits.slice(0, 6).padEnd(6, '0');
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${fraction}`
  );
}

/** A calendar date ('YYYY-MM-DD'); a time part is accepted only when it is midnight. */
export function normalizeDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$/.exec(v);
  if (!m) return null;
  const ts = normalizeTimestamp(m[1]);
  return ts ? ts.slice(0, 10) : null;
}

/** Registers the functions the adoption's SQL calls (deterministic, so SQLite may cache them). */
export function registerFunctions(db: { function(name: string, opts: object, fn: (...a: unknown[]) => unknown): unknown }): void {
  db.function('fg_ts', { deterministic: true }, (v) => normalizeTimestamp(v));
  db.function('fg_date', { deterministic: true }, (v) => normalizeDate(v));
  db.function('fg_real', { deterministic: true }, (v) => {
    const t = typeof v === 'string' ? v.trim() : '';
    const n = t === '' ? NaN : Number(t);
    return Number.isFinite(n) ? n : null;
  });
}

const blank = (x: string) => `(${x} IS NULL OR (typeof(${x}) = 'text' AND trim(${x}) = ''))`;

/**
 * The formats the Flask app, SQLite and the frontend wrote, converted in SQL (no call into JS):
 * [glob, length, conversion]. Anything else goes through fg_ts, which also handles offsets.
 */
const FAST_FORMATS: [string, number, (x: string) => string][] = [
  [`${DATE_GLOB} ${TIME_GLOB}.${DIGITS(6)}`, 26, (x) => x], // datetime.utcnow(): byte-equal
  [`${DATE_GLOB}T${TIME_GLOB}.${DIGITS(6)}`, 26, (x) => `substr(${x}, 1, 10) || ' ' || substr(${x}, 12)`],
  [`${DATE_GLOB} ${TIME_GLOB}.${DIGITS(3)}`, 23, (x) => x],
  [`${DATE_GLOB} ${TIME_GLOB}`, 19, (x) => `${x} || '.000'`], // CURRENT_TIMESTAMP
  [`${DATE_GLOB}T${TIME_GLOB}`, 19, (x) => `substr(${x}, 1, 10) || ' ' || substr(${x}, 12) || '.000'`],
];
/** The month, day and hour ranges the globs cannot express. */
const inRange = (x: string) =>
  `substr(${x}, 6, 2) BETWEEN '01' AND '12' AND substr(${x}, 9, 2) BETWEEN '01' AND '31' AND substr(${x}, 12, 2) <= '23'`;
const fastMatch = (x: string, [glob, len]: (typeof FAST_FORMATS)[number]) => `(length(${x}) = ${len} AND ${x} GLOB '${glob}' AND ${inRange(x)})`;

/** A timestamp column: NULL and '' read as NULL. */
export const tsExpr = (x: string) =>
  `(CASE WHEN ${blank(x)} THEN NULL ${FAST_FORMATS.map((f) => `WHEN ${fastMatch(x, f)} THEN ${f[2](x)}`).join(' ')} ELSE fg_ts(${x}) END)`;
/** True when the column holds something that is not a readable timestamp. */
export const tsBad = (x: string) =>
  `(NOT ${blank(x)} AND NOT (${FAST_FORMATS.map((f) => fastMatch(x, f)).join(' OR ')}) AND fg_ts(${x}) IS NULL)`;

export const dateExpr = (x: string) => `(CASE WHEN ${blank(x)} THEN NULL ELSE fg_date(${x}) END)`;
export const dateBad = (x: string) => `(NOT ${blank(x)} AND fg_date(${x}) IS NULL)`;

const TRUE_VALUES = `(1, '1', 'true', 'True', 'TRUE', 't', 'T', 'yes')`;
const FALSE_VALUES = `(0, '0', 'false', 'False', 'FALSE', 'f', 'F', 'no', '')`;
export const boolExpr = (x: string, fallback: 0 | 1) =>
  `(CASE WHEN ${x} IS NULL THEN ${fallback} WHEN ${x} IN ${TRUE_VALUES} THEN 1 WHEN ${x} IN ${FALSE_VALUES} THEN 0 END)`;
export const boolBad = (x: string) => `(${x} IS NOT NULL AND ${x} NOT IN ${TRUE_VALUES} AND ${x} NOT IN ${FALSE_VALUES})`;

/** An integer column: integral reals and numeric text convert exactly; '' reads as NULL. */
export const intExpr = (x: string) =>
  `(CASE WHEN ${blank(x)} THEN NULL WHEN typeof(${x}) = 'integer' THEN ${x} ` +
  `WHEN typeof(${x}) = 'real' AND ${x} = CAST(${x} AS INTEGER) THEN CAST(${x} AS INTEGER) ` +
  `WHEN typeof(${x}) = 'text' AND CAST(CAST(trim(${x}) AS INTEGER) AS TEXT) = trim(${x}) THEN CAST(trim(${x}) AS INTEGER) END)`;
export const intBad = (x: string) => `(NOT ${blank(x)} AND ${intExpr(x)} IS NULL)`;

/** A float column: numbers as they are, numeric text converted (in JS: SQLite's CAST accepts '12abc'). */
export const realExpr = (x: string) =>
  `(CASE WHEN typeof(${x}) IN ('integer', 'real') THEN CAST(${x} AS REAL) WHEN typeof(${x}) = 'text' THEN fg_real(${x}) END)`;

/** JSON text: valid JSON stays byte-equal, blank becomes the fallback (NULL or an empty document). */
export const jsonExpr = (x: string, fallback = 'NULL') =>
  `(CASE WHEN ${blank(x)} THEN ${fallback} WHEN typeof(${x}) = 'text' AND json_valid(${x}) THEN ${x} END)`;
export const jsonBad = (x: string) => `(NOT ${blank(x)} AND NOT (typeof(${x}) = 'text' AND json_valid(${x})))`;

/** A random version-4 UUID, computed in SQL so that ids are made set-wise. */
export const UUID_SQL =
  `(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || ` +
  `substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))`;

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function nowStamp(d = new Date()): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
