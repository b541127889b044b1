import { TestAdapter, type Activity } from 'botbuilder';
import { bootstrap, type Waymark } from '../../src/bootstrap';
import type { BootstrapOptions } from '../../src/bootstrap';
import { testConfig } from './testConfig';

/** The real bot (real SQLite file, demo directory) behind botbuilder's TestAdapter. */
export async function startTestBot(
  overrides: Record<string, string> = {},
  options: BootstrapOptions = {},
): Promise<{ waymark: Waymark; adapterFor(conversationId: string, locale?: string, userId?: string): TestAdapter }> {
  const waymark = await bootstrap(testConfig(overrides), options);
  return {
    waymark,
    adapterFor(conversationId: string, locale?: string, userId?: string) {
      const template: Partial<Activity> = {
        channelId: 'test',
        ...(userId ? { from: { id: userId, name: '', role: 'user' } } : {}),
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        ...(locale ? { locale } : {}),
      };
      return new TestAdapter((context) => waymark.bot.run(context), template);
    },
  };
}
