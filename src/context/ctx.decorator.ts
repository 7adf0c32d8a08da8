import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { UserRequiredError } from './context.errors';
import { CONTEXT_KEY, RequestContext } from './request-context';

/**
 * The request's context, as the request's unit of work built it: an admitted user, the root on
 * a tenant route, and the unit's manager. A route that skipped the pipeline fails loudly.
 */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const ctx = host.switchToHttp().getRequest()[CONTEXT_KEY] as RequestContext | undefined;
  if (!ctx) throw new UserRequiredError();
  return ctx;
});
