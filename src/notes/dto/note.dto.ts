import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsId } from '../../http/ids';
import { PageQuery } from '../../http/pagination';
import { MAX_NOTE_LENGTH, NOTE_SUBJECT_TYPES, NoteSubjectType } from '../note.entity';

export class NoteAboutDto {
  @ApiProperty({ enum: NOTE_SUBJECT_TYPES })
  @IsIn(NOTE_SUBJECT_TYPES)
  type: NoteSubjectType;

  @ApiProperty({ format: 'uuid', description: 'A live thing of this type in this root (404 naming `about.id` otherwise).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id: string;
}

export class CreateNoteDto {
  @ApiProperty({ maxLength: MAX_NOTE_LENGTH, description: 'Markdown text.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NOTE_LENGTH)
  content: string;

  @ApiProperty({ type: NoteAboutDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NoteAboutDto)
  about: NoteAboutDto;
}

export class UpdateNoteDto {
  @ApiProperty({ maxLength: MAX_NOTE_LENGTH, description: 'Markdown text. A note stays about what it was about.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NOTE_LENGTH)
  content: string;
}

export class NoteListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTE_SUBJECT_TYPES, description: 'Only notes about things of this type.' })
  @IsOptional()
  @IsIn(NOTE_SUBJECT_TYPES)
  aboutType?: NoteSubjectType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only notes about this thing; a live thing of this root (400 otherwise). Needs aboutType.' })
  @IsOptional()
  @IsId()
  aboutId?: string;
}

export class SessionNotesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Also the notes of the previous session with the same activities.', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'previous must be true or false' })
  previous?: boolean;
}

/** The body of routes that take none: any field in it is refused, as everywhere. */
export class EmptyNoteBody {}
