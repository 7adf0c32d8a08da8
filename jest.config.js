// Nest 12 ships ESM, so @swc/jest transforms node_modules too (transformIgnorePatterns: []).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const base = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

/**
 * Two projects: every suite runs on SQLite; suites named *.db.spec.ts touch the database
 * and run on PostgreSQL as well (skipped, with one line saying so, when it is unreachable
 * and REQUIRE_PG is not set).
 */
module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/test/**/*.spec.ts'], setupFiles: ['<rootDir>/test/setup/sqlite.js'] },
    { ...base, displayName: 'postgres', testMatch: ['<rootDir>/test/**/*.db.spec.ts'], setupFiles: ['<rootDir>/test/setup/postgres.js'] },
  ],
};
