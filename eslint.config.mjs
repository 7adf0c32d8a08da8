/**
 * The data-access boundary of src/ (issue 13), checked by `npm run lint` inside `npm test`:
 * raw data access (a DataSource, an EntityManager, a Repository, their injection, raw SQL
 * through .query()) lives in src/database, src/tenancy and src/admin. Everything else goes
 * through the tenancy layer. There are no exceptions: a breach fails the run.
 *
 * And the DTOs' rules of absent, null and sent fields, and of trimming, live in
 * src/http/dto-rules.ts only: a feature that defines its own `trim`, `sent` or `present` fails.
 */
import tseslint from 'typescript-eslint';

const OWNERS = ['src/database/**', 'src/tenancy/**', 'src/admin/**'];
const WHY = 'Raw data access belongs in src/database, src/tenancy and src/admin; use the tenancy layer (TenantData) instead.';
const DTO_RULES = 'src/http/dto-rules.ts';

const DATA_ACCESS = [
  { selector: "CallExpression[callee.property.name='query']", message: `Raw SQL (.query()). ${WHY}` },
  {
    selector: "CallExpression[callee.property.name=/^(getRepository|getTreeRepository|createQueryRunner)$/]",
    message: `A TypeORM repository or query runner. ${WHY}`,
  },
  {
    selector: "Decorator > CallExpression[callee.name=/^Inject(DataSource|Repository|EntityManager)$/]",
    message: `Injecting a DataSource, repository or entity manager. ${WHY}`,
  },
];
const OWN_DTO_RULE = {
  selector: "VariableDeclarator[id.name=/^(trim|sent|present)$/][init.type='ArrowFunctionExpression']",
  message: `A DTO rule of its own: use trim, Optional() or Nullable() from ${DTO_RULES}.`,
};


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
      'no-restricted-syntax': ['error', ...DATA_ACCESS, OWN_DTO_RULE],
    },
  },
  {
    files: OWNERS,
    rules: { 'no-restricted-syntax': ['error', OWN_DTO_RULE] },
  },
  {
    files: [DTO_RULES],
    rules: { 'no-restricted-syntax': ['error', ...DATA_ACCESS] },
  },
  {
    // The context carries the unit of work's manager, as a type: it reaches no data itself.
    files: ['src/context/request-context.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
