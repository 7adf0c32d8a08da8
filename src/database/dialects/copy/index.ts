// db:copy, SQLite to PostgreSQL: the service behind src/cli/db-copy.ts.
export { copyDatabase } from './copy-database';
export { canonicalFromPg, canonicalFromSqlite, canonicalJson, canonicalTimestamp } from './normalize';
export { CopyRefused } from './report';
export type { CopyOptions, CopyReport, TableReport } from './report';
