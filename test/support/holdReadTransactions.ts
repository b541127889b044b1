import { Worker } from 'node:worker_threads';

// Plain JavaScript evaluated in the thread (as the checkpoint worker is), so it runs under the test transform.
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const stop = new Int32Array(workerData.stop);
const readers = [new Database(workerData.file), new Database(workerData.file)];
const held = readers.map(() => false);
parentPort.postMessage('reading');
for (let turn = 0; Atomics.load(stop, 0) === 0; turn = 1 - turn) {
  const reader = readers[turn];
  if (held[turn]) reader.exec('COMMIT');
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM sqlite_master').get();
  held[turn] = true;
  Atomics.wait(stop, 0, 0, workerData.holdMs);
}
readers.forEach((reader, i) => { if (held[i]) reader.exec('COMMIT'); reader.close(); });
`;

/**
 * Another thread with two connections to `file` that take turns holding a read transaction for `holdMs`,
 * overlapping, so at every moment some reader still needs the WAL's older pages: the load under which a
 * PASSIVE checkpoint never lets SQLite start the WAL over. Resolves once the readers are reading.
 */
export async function holdReadTransactions(file: string, holdMs: number): Promise<{ stop(): Promise<void> }> {
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(READER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file, holdMs, stop } });
  const exited = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  await Promise.race([new Promise((resolve) => worker.once('message', resolve)), exited]);
  return {
    async stop() {
      const flag = new Int32Array(stop);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await exited;
    },
  };
}
