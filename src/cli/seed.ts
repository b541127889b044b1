import { loadConfig } from '../config';
import { PATHS } from '../paths';
import { createStorageBackend } from '../storage/createStorageBackend';
import { seedDemoDirectory } from '../directory/seedDemoDirectory';

/**
 * `npm run seed` loads the demo directory into an empty database; `npm run seed -- --reset` replaces the
 * current directory with it (in one transaction: on any error the old directory stays).
 */
async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const config = loadConfig();
  const storage = await createStorageBackend(config);
  try {
    const { directory } = storage;
    const existing = await directory.countServices();
    if (existing > 0 && !reset) {
      process.stdout.write(`The directory already has ${existing} services; run "npm run seed -- --reset" to replace them with the demo directory.\n`);
      return;
    }
    const count = await seedDemoDirectory(directory, PATHS.demo);
    process.stdout.write(`Loaded ${count} demo services into ${config.dataDir}.\n`);
  } finally {
    await storage.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
