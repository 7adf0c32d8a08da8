import { Column, ColumnOptions, CreateDateColumn, DeleteDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { resolveEngine } from '../config/env';
import { dialectFor } from './dialect';

/**
 * Column types that differ between the two engines. The engine is fixed per process
 * (DATABASE_URL / DB_ENGINE), so it is read once, when entities are decorated.
 */
const DIALECT = dialectFor(resolveEngine());
const TIMESTAMP_TYPE = DIALECT.timestampType;
const NOW_SQL = DIALECT.now;

export const IdColumn = (name: string, options: Partial<ColumnOptions> = {}) =>
  Column({ name, type: 'varchar', length: 36, ...options } as ColumnOptions);

export const TimestampColumn = (name: string, options: Partial<ColumnOptions> = {}) =>
  Column({ name, type: TIMESTAMP_TYPE, nullable: true, ...options } as ColumnOptions);

export const JsonColumn = (name: string, options: Partial<ColumnOptions> = {}) =>
  Column({ name, type: 'json', nullable: true, ...options } as ColumnOptions);

export const TextColumn = (name: string, options: Partial<ColumnOptions> = {}) =>
  Column({ name, type: 'text', nullable: true, ...options } as ColumnOptions);

export const BoolColumn = (name: string, fallback: boolean) =>
  Column({ name, type: 'boolean', default: fallback });

export const IntColumn = (name: string, options: Partial<ColumnOptions> = {}) =>
  Column({ name, type: 'integer', nullable: true, ...options } as ColumnOptions);

export const CreatedAt = () => CreateDateColumn({ name: 'created_at', type: TIMESTAMP_TYPE, default: () => NOW_SQL });
export const UpdatedAt = () => UpdateDateColumn({ name: 'updated_at', type: TIMESTAMP_TYPE, default: () => NOW_SQL });
export const DeletedAt = () => DeleteDateColumn({ name: 'deleted_at', type: TIMESTAMP_TYPE, nullable: true });
export const Version = () => VersionColumn({ name: 'version', type: 'integer', default: 1 });
