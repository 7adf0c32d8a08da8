/**
 * The import rules of src/ (issue 13), checked by `npm run lint` inside `npm test`.
 * There are no exceptions: a breach fails the run.
 */

const ERROR = 'error';
/** Folders of src/ that may import src/admin: admin itself and the commands (src/cli). */
const MAY_IMPORT_ADMIN = '^src/(admin|cli)/';


module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module of src/ may import itself through other modules.',
      severity: ERROR,
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder of src/ may import itself through other folders (the entity registry excepted, below).',
      scope: 'folder',
      severity: ERROR,
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'features-not-admin',
      comment: 'Admin acts across tenants; no feature or mechanism builds on it. Only src/admin and the commands import it.',
      severity: ERROR,
      from: { path: '^src/[^/]+/', pathNot: MAY_IMPORT_ADMIN },
      to: { path: '^src/admin/' },
    },
    {
      name: 'auth-not-tenancy',
      comment: 'Authentication verifies the token and nothing more: it does not import tenancy.',
      severity: ERROR,
      from: { path: '^src/auth/' },
      to: { path: '^src/tenancy/' },
    },
    {
      name: 'context-imports-nothing',
      comment: 'src/context (RequestContext, AuthUser, the account check) depends on nothing else in src/.',
      severity: ERROR,
      from: { path: '^src/context/' },
      to: { path: '^src/', pathNot: '^src/context/' },
    },
  ],
  options: {
    // Type-only imports count: a cycle or a layer breach through types is one all the same.
    tsPreCompilationDeps: true,
    // The entity registry names every feature's entities by design (TypeORM needs the list);
    // following it would make every feature folder a cycle with src/database.
    doNotFollow: { path: ['node_modules', '^src/database/entities\\.ts$'] },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
