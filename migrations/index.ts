import { InitialSchema1767225600000 } from './1767225600000-InitialSchema';

/** Every migration, in order. Listed explicitly so that ts-node, jest and dist all load the same set. */
export const MIGRATIONS = [InitialSchema1767225600000];
export { LEGACY_TABLES, LEGACY_PREFIX } from './lib/legacy-stash';
