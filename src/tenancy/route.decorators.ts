import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { MarkTenantRoute, TenantGuard } from './tenant.guard';
import { TransactionInterceptor } from './transaction.interceptor';

/** Every controller under /api/roots/:rootId carries this: the tenant guard, then one transaction. */
export const TenantRoute = () => applyDecorators(MarkTenantRoute(), UseGuards(TenantGuard), UseInterceptors(TransactionInterceptor));

/** Authenticated routes that work across the user's own roots (list and create roots). */
export const UserRoute = () => UseInterceptors(TransactionInterceptor);
