import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDateString, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * An id in a body. Ids are UUIDs, but adopted Flask-era rows keep the ids they had, so any
 * printable id up to 36 characters is looked up; one that names nothing in the root is a 404.
 */
export const IsId = () =>
  applyDecorators(IsString(), IsNotEmpty(), MaxLength(36), Matches(/^[\x21-\x7e]+$/, { message: '$property must be an id' }));

/**
 * An optional field that cannot be cleared: left out, it keeps its value; null is validated,
 * and refused, like any other wrong value (IsOptional would let null through to the database).
 */
export const Optional = () => ValidateIf((_, v) => v !== undefined);

/** A field that may be sent as null to clear it; undefined leaves it as it is. */
export const Nullable = () => ValidateIf((_, v) => v !== null && v !== undefined);

export const IsName = (max: number) => applyDecorators(Transform(trim), IsString(), IsNotEmpty(), MaxLength(max));

export const IsTimestamp = (property: string) =>
  IsDateString({ strict: true }, { message: `${property} must be an ISO-8601 date or date-time` });
