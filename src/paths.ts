import fs from 'node:fs';
import path from 'node:path';

/** The project folder (holding `locales/`, `dialogs/`, `demo/`), whether running from `src/` or `dist/src/`. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

const root = findProjectRoot(__dirname);

export const PATHS = Object.freeze({
  root,
  locales: path.join(root, 'locales'),
  dialogs: path.join(root, 'dialogs'),
  demo: path.join(root, 'demo'),
  region: path.join(root, 'demo', 'region.json'),
});
