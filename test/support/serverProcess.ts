import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PATHS } from '../../src/paths';

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** kill -9: no shutdown, no draining, no flush. */
  crash(): Promise<void>;
  /** SIGTERM, waiting for the process to exit. */
  stop(): Promise<void>;
}

/**
 * The real server (`src/server.ts`, as `npm start` runs it) in a child process, configured only through its
 * environment, so a test can kill it as a crash would. Resolves once it listens.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'swcRegister.js'), path.join(PATHS.root, 'src', 'server.ts')], {
    cwd: PATHS.root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'listening') resolve(`http://127.0.0.1:${String(entry.port)}`);
        } catch {
          // Not a log line.
        }
      }
    });
    void exited.then(() => reject(new Error(`the server exited before listening: ${stderr.slice(0, 2000)}`)));
  });
  return {
    url,
    child,
    logs,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
