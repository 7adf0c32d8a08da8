import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/**
 * An id of a goal in a body. Ids are UUIDs, but adopted Flask-era goals keep the ids they had,
 * so any printable id up to 36 characters is looked up; one that names nothing in the root is a
 * 404. (Other features' ids are UUIDs only: src/http/ids.ts.)
 */
export const IsId = () =>
  applyDecorators(IsString(), IsNotEmpty(), MaxLength(36), Matches(/^[\x21-\x7e]+$/, { message: '$property must be an id' }));
