/** A database the migration runner must not touch: it refuses, and changes nothing. */
export class MigrationRefused extends Error {}
