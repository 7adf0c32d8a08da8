import { ConflictException, NotFoundException } from '@nestjs/common';
import { RequestValidationError } from '../http/validation';

/**
 * The answers of this feature for ids and state. A foreign id, an unknown id and a malformed id
 * get the same 404; an id in the body gets it too, naming the field, so that nobody learns
 * whether a row exists in another root.
 */
export const notFound = (what: string) => new NotFoundException(`${what} not found.`);

export const missingReference = (field: string, what: string) =>
  new NotFoundException({
    message: `${what} not found: ${field}`,
    details: [{ field, message: `names no live ${what.toLowerCase()} of this root` }],
  });

export const invalid = (field: string, message: string) => new RequestValidationError([{ field, message }]);

export const conflict = (field: string, message: string) =>
  new ConflictException({ message, details: [{ field, message }] });
