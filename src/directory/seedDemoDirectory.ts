import { loadDemoDataset } from './loadDirectoryDataset';
import type { DirectoryRepository } from './directoryRepository';

/** Loads the bundled demo directory, replacing whatever is there (all or nothing). Returns the service count. */
export async function seedDemoDirectory(directory: DirectoryRepository, demoDir: string): Promise<number> {
  const result = loadDemoDataset(demoDir);
  if (!result.ok) throw new Error(`demo directory is invalid:\n${result.errors.join('\n')}`);
  await directory.replaceAll(result.dataset);
  return result.dataset.services.length;
}
