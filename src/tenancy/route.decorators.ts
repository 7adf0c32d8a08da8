import { SetMetadata } from '@nestjs/common';

const ALLOW_DELETED_ROOT = 'tenancy:allowDeletedRoot';
const ADMIN_ROUTE = 'tenancy:adminRoute';

/** For the restore route only: the unit of work also admits the owner's soft-deleted root. */
export const AllowDeletedRoot = () => SetMetadata(ALLOW_DELETED_ROOT, true);

/**
 * Administrators only, checked right after the account is admitted (403 before any pipe or
 * handler runs). A `:rootId` on such a route is not entered: admin routes reach other users'
 * data only through AdminData, explicitly and audited.
 */
export const AdminRoute = () => SetMetadata(ADMIN_ROUTE, true);

export const ROUTE_KEYS = { ALLOW_DELETED_ROOT, ADMIN_ROUTE } as const;
