/**
 * The data-access boundary of src/ (issue 13), checked by `npm run lint` inside `npm test`:
 * raw data access (a DataSource, an EntityManager, a Repository, their injection, raw SQL
 * through .query()) lives in src/database, src/tenancy and src/admin. Everything else goes
 * through the tenancy layer. Temporary breaches are listed in boundary-exceptions.cjs.
 */
import tseslint from 'typescript-eslint';
import exceptions from './boundary-exceptions.cjs';

const OWNERS = ['src/database/**', 'src/tenancy/**', 'src/admin/**'];
const WHY = 'Raw data access belongs in src/database, src/tenancy and src/admin; use the tenancy layer (TenantData) instead.';

// BOUNDARY_NO_EXCEPTIONS=1 drops them: the structure test uses it to find entries that are no longer breaches.
const temporary = process.env.BOUNDARY_NO_EXCEPTIONS ? [] : exceptions.lint;

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
  ...temporary.map(({ file, rule }) => ({ files: [file], rules: { [rule]: 'off' } })),
];
