import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

export const GOAL_NOT_FOUND = 'Goal not found';

/** A missing goal: the same answer for unknown, foreign, malformed and deleted ids. */
export function goalNotFound(): NotFoundException {
  return new NotFoundException(GOAL_NOT_FOUND);
}

/** An id in the body that names nothing in this root (unknown and foreign alike). */
export function unknownId(field: string, what: string): NotFoundException {
  return new NotFoundException({
    message: `${field}: no ${what} with this id in this root`,
    details: [{ field, message: `no ${what} with this id in this root` }],
  });
}

/** A well-formed field whose value breaks a rule of the tree. */
export function badField(field: string, message: string): BadRequestException {
  return new BadRequestException({ message: `Invalid request: ${field}: ${message}`, details: [{ field, message }] });
}

export function conflict(message: string): ConflictException {
  return new ConflictException(message);
}
