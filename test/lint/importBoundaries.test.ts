import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The import boundaries in eslint.config.js, run on sources planted at paths inside the repository (linted
 * as text, never written): each boundary refuses what it should, and leaves alone what the layout allows.
 */
const root = path.resolve(__dirname, '../..');
// The config is handed over rather than found: ESLint loads config files with a dynamic import, which Jest's VM refuses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(root, 'eslint.config.js')) as ESLint.Options['overrideConfig'];
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/import-boundaries').map((m) => m.message.split(':')[0] as string);
}

describe('import boundaries', () => {
  it.each([
    ['src/conversation/planted.ts', "import express from 'express';", ['pure core']],
    ['src/privacy/planted.ts', "import type { TurnContext } from 'botbuilder';", ['pure core']],
    ['src/directory/planted.ts', "import { openSqliteDatabase } from '../storage/sqlite/openSqliteDatabase';", ['pure core', 'storage behind ports']],
    ['src/crisis/planted.ts', "import Database from 'better-sqlite3';", ['pure core', 'storage behind ports']],
    ['src/escalation/planted.ts', "import { GraphApiClient } from '../channels/whatsapp/GraphApiClient';", ['pure core', 'channels are plug-ins']],
    ['src/staff/planted.ts', "import { bootstrap } from '../bootstrap';", ['composition root']],
    ['src/staff/useCases/planted.ts', "import mongoose from 'mongoose';", ['storage behind ports']],
    ['src/web/planted.ts', "import type { StaffAccount } from '../staff/staffModel';", ['web kit knows no feature']],
    ['src/storage/sqlite/planted.ts', "import mongoose from 'mongoose';", ['one backend per folder']],
    ['test/conversation/planted.test.ts', "import { openSqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';", ['feature tests use ports']],
  ])('%s: %s is refused by %j', async (file, source, boundaries) => {
    expect(await boundaryErrors(file, source)).toEqual(boundaries);
  });

  it.each([
    ['src/storage/sqlite/planted.ts', "import Database from 'better-sqlite3';"],
    ['src/bootstrap.ts', "import { createWhatsAppChannel } from './channels/whatsapp/createWhatsAppChannel';"],
    ['src/server.ts', "import { bootstrap } from './bootstrap';"],
    ['src/conversation/planted.ts', "import type { WaymarkReplyData } from '../channels/replyContract';"],
    ['src/escalation/planted.ts', "import type { ReplyAddress } from '../channels/ConversationSender';"],
    ['src/cli/planted.ts', "import { createStorageBackend } from '../storage/createStorageBackend';"],
    ['src/bot/planted.ts', "import { TurnContext } from 'botbuilder';"],
    ['test/storage/planted.test.ts', "import Database from 'better-sqlite3';"],
  ])('%s: %s is allowed', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});
