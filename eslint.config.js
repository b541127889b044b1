// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

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
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' }, languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } } },
);
