import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE } from '../../src/storage/sqlite/openSqliteDatabase';

/** Every byte of the embedded database's files (main file, WAL, shared memory): what a disk image would hold. */
export function databaseBytes(dataDir: string): Buffer {
  return Buffer.concat(
    fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith(DATABASE_FILE))
      .map((f) => fs.readFileSync(path.join(dataDir, f))),
  );
}
