import { ConflictException, NotFoundException } from '@nestjs/common';
import { RequestValidationError } from '../http/validation';

/** The same 404 for an unknown, foreign, deleted or malformed id in the path. */
export const notFound = (what: string) => new NotFoundException(`${what} not found.`);

/** An id in the body that names no live row of this root: a 404 naming the field, as for the path. */
export const missingReference = (field: string, what: string) =>
  new NotFoundException({
    message: `${what} not found: ${field}`,
    details: [{ field, message: `names no live ${what.toLowerCase()} of this root` }],
  });

export const invalid = (field: string, message: string) => new RequestValidationError([{ field, message }]);

export const conflict = (field: string, message: string) => new ConflictException({ message, details: [{ field, message }] });
