// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/**
 * Import boundaries: the layout is the architecture, and lint keeps it so. Each entry: the files it
 * applies to, the files exempt, and the import patterns they may not use (regexes on the import string).
 * Caution: ESLint keeps only the last `no-restricted-imports` setting that applies to a file, so two entries
 * must not cover the same file; widen an entry's patterns instead, or split its files.
 */
const SQLITE_DRIVER = { regex: '^better-sqlite3$', message: 'Only the SQLite backend (src/storage/sqlite/) talks to SQLite; use the ports on StorageBackend.' };
const SQLITE_BACKEND = { regex: '(^|/)storage/sqlite(/|$)', message: 'Only src/storage/createStorageBackend.ts builds the SQLite backend; use the ports on StorageBackend.' };
const COMPOSITION_ROOT = { regex: '(^|/)bootstrap$', message: 'Nothing imports the composition root except src/server.ts and tests: take what you need as an argument.' };
const SQLITE_IN_TESTS = { regex: '^better-sqlite3$|(^|/)storage/sqlite(/|$)', message: 'Tests reach SQLite specifics through test/support/sqliteBackend.ts, and records through waymark.storage.' };
const BOUNDARIES = [
  // The product: storage only through the ports, and the composition root is imported by server.ts alone.
  { files: ['src/**/*.ts'], ignores: ['src/storage/sqlite/**', 'src/storage/createStorageBackend.ts', 'src/server.ts'], patterns: [SQLITE_DRIVER, SQLITE_BACKEND, COMPOSITION_ROOT] },
  { files: ['src/server.ts'], patterns: [SQLITE_DRIVER, SQLITE_BACKEND] },
  { files: ['src/storage/sqlite/**/*.ts', 'src/storage/createStorageBackend.ts'], patterns: [COMPOSITION_ROOT] },
  // Tests of features reach SQLite specifics only through test/support/sqliteBackend.ts; the backend's own
  // tests (test/storage/) and the support modules may know it.
  { files: ['test/**/*.ts'], ignores: ['test/storage/**', 'test/support/**'], patterns: [SQLITE_IN_TESTS] },
];

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' }],
    },
  },
  // Staff route handlers call use cases (src/staff/useCases/), which hold the rules and the record-level checks;
  // reaching a store from a handler would let a page and an API over the same action drift apart.
  {
    files: ['src/staff/http/**/*.ts'],
    ignores: ['src/staff/http/staffIdentity.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='stores']", message: 'Call a use case (src/staff/useCases/) instead of a store.' }] },
  },
  // Tests and the benchmark drive processes through their environment; the product reads it only in config.ts.
  { files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  // Module boundaries: what each part may import. One entry per boundary in BOUNDARIES (below the export);
  // each becomes its own config block, so a file in several scopes gets every rule that applies to it.
  ...BOUNDARIES.map(({ files, ignores = [], patterns }) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' }, languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } } },
);
