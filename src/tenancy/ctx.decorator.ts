import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext } from './request-context';

/** The request's context, as built by the guards. Missing means a route skipped them: fail loudly. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const ctx = host.switchToHttp().getRequest()[CONTEXT_KEY] as RequestContext | undefined;
  if (!ctx) throw new MissingTenantContextError('request context');
  return ctx;
});
