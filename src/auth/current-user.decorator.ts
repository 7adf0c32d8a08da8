import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AuthUser, USER_KEY } from '../tenancy/request-context';

/** The user the authentication guard admitted. On a route that skipped the guard, a 401, never undefined. */
export const CurrentUser = createParamDecorator((_: unknown, host: ExecutionContext): AuthUser => {
  const user = host.switchToHttp().getRequest()[USER_KEY] as AuthUser | undefined;
  if (!user) throw new UnauthorizedException('Authentication required.');
  return user;
});
