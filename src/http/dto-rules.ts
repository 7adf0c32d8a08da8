import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDateString, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * How a body field may be left out, cleared or sent, the same in every feature's DTOs: one rule
 * each, here (ESLint refuses another `trim`, `sent` or `present` anywhere else in src/).
 */

/** Text fields are trimmed before they are validated; anything else is left for the validators to refuse. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Validates a field whenever it is sent, null included: absent leaves it, null is refused. */
const sent = (_: object, v: unknown) => v !== undefined;

/** Validates a nullable field when it has a value: null clears it, absent leaves it. */
const present = (_: object, v: unknown) => v !== undefined && v !== null;

/**
 * An optional field that cannot be cleared: left out, it keeps its value; null is validated,
 * and refused, like any other wrong value (IsOptional would let null through to the database).
 */
export const Optional = () => ValidateIf(sent);

/** A field that may be sent as null to clear it; undefined leaves it as it is. */
export const Nullable = () => ValidateIf(present);

/** A name: trimmed, not empty, at most `max` characters. */
export const IsName = (max: number) => applyDecorators(Transform(trim), IsString(), IsNotEmpty(), MaxLength(max));

export const IsTimestamp = (property: string) => IsDateString({ strict: true }, { message: `${property} must be an ISO-8601 date or date-time` });
