import { DataSource, QueryFailedError } from 'typeorm';
import type { DbEngine } from '../config/env';
import { postgresDialect } from './dialects/postgres';
import { sqliteDialect } from './dialects/sqlite';
import type { ConstraintKind, Dialect } from './dialects/types';

export type { Admission, AuditNote, ConstraintKind, Dialect, Statement } from './dialects/types';

/**
 * The dialect module: everything that differs between the two engines lives in
 * src/database/dialects/, one implementation per engine. Features and mechanisms ask the
 * dialect; they never test the engine themselves.
 */
export function dialectFor(engine: DbEngine): Dialect {
  return engine === 'postgres' ? postgresDialect : sqliteDialect;
}

/**
 * The constraint a failed statement broke, whichever engine ran it: the error filter maps
 * these to 409 and 422, and services recognise a lost race for a unique key.
 */
export function constraintViolation(err: unknown): ConstraintKind | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const code = String((err.driverError as { code?: unknown } | undefined)?.code ?? '');
  return sqliteDialect.constraintOf(code) ?? postgresDialect.constraintOf(code);
}

export function dialectOf(dataSource: Pick<DataSource, 'options'>): Dialect {
  return dataSource.options.type === 'postgres' ? postgresDialect : sqliteDialect;
}
