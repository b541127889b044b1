// @ts-check
const path = require('node:path');

/**
 * An ESLint rule that keeps the architecture: each boundary names the files it applies to and the imports
 * they may not use. Unlike `no-restricted-imports`, whose settings replace one another when several config
 * blocks match a file, every boundary that matches a file applies.
 *
 * An import is checked as written for packages (`express`, `botbuilder`) and, for relative imports, as the
 * path it resolves to from the project root without extension (`src/storage/sqlite/openSqliteDatabase`),
 * so a rule reads the same whatever the importing file's depth.
 *
 * @typedef {{ name: string, files: RegExp, except?: RegExp, forbid: { target: RegExp, why: string }[] }} Boundary
 */

/** @param {string} filename @param {string} source @param {string} root */
function resolveImport(filename, source, root) {
  if (!source.startsWith('.')) return source;
  const absolute = path.resolve(path.dirname(filename), source);
  return path.relative(root, absolute).split(path.sep).join('/').replace(/\.(ts|js)$/, '');
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the import boundaries between the parts of the system.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    /** @type {Boundary[]} */
    const boundaries = context.settings.importBoundaries ?? [];
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const applying = boundaries.filter((b) => b.files.test(file) && !(b.except && b.except.test(file)));
    if (applying.length === 0) return {};
    /** @param {import('estree').Node} node @param {unknown} value */
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      const target = resolveImport(context.filename, value, root);
      for (const boundary of applying) {
        const hit = boundary.forbid.find((f) => f.target.test(target));
        if (hit) context.report({ node, message: `${boundary.name}: ${file} may not import '${value}'. ${hit.why}` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg && arg.type === 'Literal') check(node, arg.value);
      },
    };
  },
};

module.exports = { rules: { 'import-boundaries': rule } };
