// Lets a child process run the TypeScript sources as the tests do (`node -r ./test/support/swcRegister.js
// src/server.ts`): each .ts file is compiled with swc as it is required, with the same settings as Jest.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
