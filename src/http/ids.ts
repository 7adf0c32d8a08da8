import { Matches, ValidationOptions } from 'class-validator';

/** The shape of every id this API hands out (and of legacy UUIDs of any version). */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** A body field that names a row by id; `{ each: true }` for arrays of ids. */
export const IsId = (options: ValidationOptions = {}) =>
  Matches(ID_PATTERN, { message: options.each ? 'each value in $property must be an id (a UUID)' : '$property must be an id (a UUID)', ...options });
