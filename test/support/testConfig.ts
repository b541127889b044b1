import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../../src/config';

/** A fresh data folder per test file: tests use real database files, never shared state. */
export function makeDataDir(prefix = 'waymark-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The data key of test configs: tests open what the bot sealed with it. */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

export function testConfig(overrides: Record<string, string> = {}): Config {
  const result = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: makeDataDir(),
    LOG_LEVEL: 'silent',
    PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef0123',
    DATA_KEY: TEST_DATA_KEY,
    // The demo directory, yes; the demo organisation would serve every town and answer for the organisations tests place.
    SEED_DEMO_ORGANISATION: 'false',
    ...overrides,
  });
  if (!result.ok) throw new Error(result.message);
  return result.config;
}
