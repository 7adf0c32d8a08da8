/**
 * The data-access boundary of src/ (issue 13), checked by `npm run lint` inside `npm test`:
 * raw data access (a DataSource, an EntityManager, a Repository, their injection, raw SQL
 * through .query()) lives in src/database, src/tenancy and src/admin. Everything else goes
 * through the tenancy layer. There are no exceptions: a breach fails the run.
 */
import tseslint from 'typescript-eslint';

const OWNERS = ['src/database/**', 'src/tenancy/**', 'src/admin/**'];
const WHY = 'Raw data access belongs in src/database, src/tenancy and src/admin; use the tenancy layer (TenantData) instead.';


export default [
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: OWNERS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', importNames: ['DataSource', 'EntityManager', 'Repository', 'QueryRunner'], message: WHY },
            { name: '@nestjs/typeorm', importNames: ['InjectDataSource', 'InjectRepository', 'InjectEntityManager'], message: WHY },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: `Raw SQL (.query()). ${WHY}` },
        {
          selector: "CallExpression[callee.property.name=/^(getRepository|getTreeRepository|createQueryRunner)$/]",
          message: `A TypeORM repository or query runner. ${WHY}`,
        },
        {
          selector: "Decorator > CallExpression[callee.name=/^Inject(DataSource|Repository|EntityManager)$/]",
          message: `Injecting a DataSource, repository or entity manager. ${WHY}`,
        },
      ],
    },
  },
  {
    // The context carries the unit of work's manager, as a type: it reaches no data itself.
    files: ['src/context/request-context.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
