// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const importBoundaries = require('./lint/importBoundaries');

/*
 * Import boundaries: the layout is the architecture, and lint keeps it so (rule in lint/importBoundaries.js).
 * Each boundary names the files it applies to (a regex on the path from the project root), those exempt, and
 * what they may not import: a package name, or a project path without extension (relative imports are
 * resolved first). Every boundary that matches a file applies.
 */
const FRAMEWORKS = /^(express|botbuilder(-.*)?|botframework-.*|better-sqlite3|mongoose|ws|playwright-core)$/;
const BOUNDARIES = [
  {
    name: 'pure core',
    // The engine and the features' rules: testable without a server, an SDK or a database.
    files: /^src\/(conversation|privacy|directory|crisis|language|escalation|outbox|shared)\//,
    forbid: [
      { target: FRAMEWORKS, why: 'The engine and the features know no web framework, bot SDK or database; src/bot, src/channels and src/storage adapt them.' },
      { target: /^src\/(http|web|bot|storage)(\/|$)|^src\/channels\/[^/]+\//, why: 'Features depend on ports, never on the adapters that implement them.' },
    ],
  },
  {
    name: 'storage behind ports',
    files: /^src\//,
    except: /^src\/storage\//,
    forbid: [
      { target: /^(better-sqlite3|mongoose)$|^src\/storage\/(?!StorageBackend$|createStorageBackend$)/, why: 'Reach storage through the ports on StorageBackend (src/storage/createStorageBackend.ts builds it).' },
    ],
  },
  {
    name: 'one backend per folder',
    files: /^src\/storage\/sqlite\//,
    forbid: [{ target: /^mongoose$|^src\/storage\/mongo(\/|$)/, why: 'A backend is one folder and knows no other.' }],
  },
  {
    name: 'composition root',
    files: /^src\//,
    except: /^src\/(server|bootstrap)\.ts$/,
    forbid: [{ target: /^src\/bootstrap$/, why: 'Nothing imports the composition root except src/server.ts: take what you need as an argument.' }],
  },
  {
    name: 'channels are plug-ins',
    files: /^src\//,
    except: /^src\/(channels\/|bootstrap\.ts$)/,
    forbid: [{ target: /^src\/channels\/[^/]+\//, why: "Only the composition root wires a channel; others use the ports in src/channels/ (Channel, ConversationSender, the reply contract)." }],
  },
  {
    name: 'web kit knows no feature',
    files: /^src\/web\//,
    forbid: [{ target: /^src\/(staff|bot|conversation|channels|escalation|directory|crisis|storage|outbox)(\/|$)/, why: 'The staff web kit serves every feature; features contribute WebModules to it.' }],
  },
  {
    name: 'console rules know no web',
    // The console's use cases are shared by its pages and its JSON API: neither may leak into them.
    files: /^src\/console\/useCases\//,
    forbid: [
      { target: FRAMEWORKS, why: 'Console use cases take an Actor and return an Outcome; the routes in src/console/http/ speak HTTP.' },
      { target: /^src\/(web|http|bot|storage)(\/|$)|^src\/console\/http(\/|$)|^src\/staff\/http(\/|$)/, why: 'Use cases are shared by pages and JSON routes; they know neither.' },
    ],
  },
  {
    name: 'console is a staff feature',
    files: /^src\/console\//,
    forbid: [{ target: /^src\/(bot|channels|conversation)(\/|$)/, why: 'The console reads escalations through their port and speaks to migrants only through the reply deliverer.' }],
  },
  {
    name: 'feature tests use ports',
    // The backend's own tests (test/storage/) and the support modules may know SQLite.
    files: /^test\//,
    except: /^test\/(storage|support)\//,
    forbid: [{ target: /^better-sqlite3$|^src\/storage\/sqlite(\/|$)/, why: 'Tests reach SQLite specifics through test/support/sqliteBackend.ts, and records through waymark.storage.' }],
  },
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
  // The same for the console: its pages and JSON routes call src/console/useCases/, never the escalation store,
  // the staff stores or the events bus directly.
  {
    files: ['src/console/http/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name=/^(stores|escalations|staff|events)$/]", message: 'Call a console use case (src/console/useCases/) instead.' }] },
  },
  // Tests and the benchmark drive processes through their environment; the product reads it only in config.ts.
  { files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  // Module boundaries (BOUNDARIES above): every boundary that matches a file applies.
  { files: ['src/**/*.ts', 'test/**/*.ts'], plugins: { local: importBoundaries }, settings: { importBoundaries: BOUNDARIES }, rules: { 'local/import-boundaries': ['error', { root: __dirname }] } },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' }, languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } } },
);
