import { UnauthorizedException } from '@nestjs/common';

/** A 401 that also says how to authenticate (RFC 6750); the error filter copies `headers` to the reply. */
export class BearerAuthError extends UnauthorizedException {
  readonly headers: Record<string, string>;

  constructor(message: string, invalidToken: boolean) {
    super(message);
    this.headers = { 'WWW-Authenticate': invalidToken ? 'Bearer error="invalid_token"' : 'Bearer' };
  }
}

export const MISSING_TOKEN = 'Missing or malformed bearer token.';
export const INVALID_TOKEN = 'Invalid or expired access token.';
export const ACCOUNT_UNAVAILABLE = 'This account is disabled or no longer exists.';
