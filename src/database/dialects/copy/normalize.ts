import { createHash } from 'node:crypto';
import { canonicalJson as sortedKeysJson } from '../../canonical-json';

// One canonical text per value, the same for both engines: the verification compares these.

const TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A timestamp as UTC 'YYYY-MM-DDTHH:MM:SS.ffffffZ'; naive SQLite timestamps are UTC, as TypeORM writes them. */
export function canonicalTimestamp(value: string): string {
  const m = TS.exec(value.trim());
  if (!m) throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
  const [, date, hm, sec = '00', frac = '', zone] = m;
  if (!zone || /^(Z|[+-]00(:?00)?)$/i.test(zone)) {
    return `${date}T${hm}:${sec}.${frac.slice(0, 6).padEnd(6, '0')}Z`;
  }
  // An explicit offset: convert through Date (millisecond precision), keeping any extra digits.
  const d = new Date(`${date}T${hm}:${sec}.${frac.slice(0, 3).padEnd(3, '0')}${zone.length === 3 ? `${zone}:00` : zone}`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
  return `${d.toISOString().slice(0, 23)}${frac.slice(3, 6).padEnd(3, '0')}Z`;
}

/** JSON with object keys sorted, so that key order and whitespace do not count. */
export function canonicalJson(value: unknown): string {
  return sortedKeysJson(typeof value === 'string' ? JSON.parse(value) : value);
}

function isTimestamp(type: string): boolean {
  return type.startsWith('timestamp');
}

/** SQLite value (better-sqlite3) -> the canonical text for its PostgreSQL column type. */
export function canonicalFromSqlite(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) throw new Error('binary values are not supported');
  switch (true) {
    case type === 'boolean':
      if (value === 1 || value === 0 || value === 1n || value === 0n) return Number(value) === 1 ? 'true' : 'false';
      if (value === 'true' || value === 'false') return value;
      throw new Error(`not a boolean: ${JSON.stringify(value)}`);
    case isTimestamp(type):
      return canonicalTimestamp(String(value));
    case type === 'json' || type === 'jsonb':
      return canonicalJson(String(value));
    case type === 'integer' || type === 'bigint' || type === 'smallint':
    case type === 'double precision' || type === 'real' || type === 'numeric':
      return String(Number(value));
    default:
      return String(value);
  }
}

/** PostgreSQL text output -> the same canonical text. */
export function canonicalFromPg(value: string | null, type: string): string | null {
  if (value === null) return null;
  switch (true) {
    case type === 'boolean':
      return value === 't' ? 'true' : 'false';
    case isTimestamp(type):
      return canonicalTimestamp(value);
    case type === 'json' || type === 'jsonb':
      return canonicalJson(value);
    case type === 'integer' || type === 'bigint' || type === 'smallint':
    case type === 'double precision' || type === 'real' || type === 'numeric':
      return String(Number(value));
    default:
      return value;
  }
}

/** SQLite value -> the parameter PostgreSQL stores in that column. */
export function toPgParam(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return canonicalFromSqlite(value, type) === 'true';
  if (isTimestamp(type)) return canonicalTimestamp(String(value));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** SHA-256 over a table's canonical rows, in the order they are added. */
export class Checksum {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(values: (string | null)[]): void {
    this.hash.update(JSON.stringify(values));
    this.hash.update('\n');
    this.rows++;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}
