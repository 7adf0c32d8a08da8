import { ConflictException, NotFoundException } from '@nestjs/common';
import { RequestValidationError } from '../http/validation';

export const SESSION_NOT_FOUND = 'Session not found';
export const INSTANCE_NOT_FOUND = 'Activity instance not found';

/** The same 404 for an unknown, foreign, deleted or malformed session id. */
export const sessionNotFound = () => new NotFoundException(SESSION_NOT_FOUND);
export const instanceNotFound = () => new NotFoundException(INSTANCE_NOT_FOUND);

/**
 * An id in the body that names no such row of this root (or of this session): the same 404 for
 * an unknown and a foreign id, naming the field, as for ids in the path.
 */
export const unknownReference = (field: string, message: string) => new NotFoundException({ message, details: [{ field, message }] });

/** A 400 naming the field, in the shape of every validation error. */
export const invalid = (field: string, message: string) => new RequestValidationError([{ field, message }]);

export const conflict = (message: string) => new ConflictException(message);
