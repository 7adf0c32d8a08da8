import { Transform, TransformFnParams } from 'class-transformer';
import { IsDefined, IsEmail, IsTimeZone, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Nullable, trim } from '../http/dto-rules';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.service';

/** Emails are compared lower-cased and trimmed; the users table refuses any other form. */
export function normalizeEmail(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
}
const emailTransform = ({ value }: TransformFnParams) => normalizeEmail(value);

export const EMAIL_MAX_LENGTH = 254;

export class RegisterDto {
  @Transform(emailTransform)
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName?: string | null;
}

/** No length rule beyond the maximum: a login must not reveal which rule an old password breaks. */
export class LoginDto {
  @Transform(emailTransform)
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class RefreshTokenDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

/** The current password proves the person at the keyboard holds the account, not only a token. */
export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

/** The profile a user may change about themselves: one field or both; null clears either. */
export class UpdateMeDto {
  @ValidateIf((o: UpdateMeDto) => o.displayName !== null && (o.displayName !== undefined || o.timeZone === undefined))
  @IsDefined({ message: 'displayName must be given (null clears it)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName?: string | null;

  /** The IANA zone the analytics read dates in (Europe/Paris); null is UTC. */
  @Nullable()
  @IsString()
  @MaxLength(64)
  @IsTimeZone({ message: 'timeZone must be an IANA time zone, such as Europe/Paris' })
  timeZone?: string | null;
}
