import { Writable } from 'node:stream';
import { TestAdapter, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { createTurnErrorHandler, type TurnErrorHandlerDeps } from '../../src/channels/createTurnErrorHandler';
import { createLogger } from '../../src/logging/createLogger';

/**
 * The one `onTurnError` every channel adapter uses, on botbuilder's own TestAdapter: what it logs, when it
 * apologises, and what happens when the apology cannot be sent. The channels' own tests show it in place
 * (test/http/botFrameworkTurnErrors, webChatChannel, whatsAppDelivery).
 */
/** TestAdapter whose sends fail while `failing` is set (a connector or socket gone mid-turn). */
class FlakyAdapter extends TestAdapter {
  failing = false;
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (this.failing) throw new Error('connector unreachable');
    return super.sendActivities(context, activities);
  }
}

function harness(deps: Omit<TurnErrorHandlerDeps, 'logger'>, failure: () => Error = () => new Error('the bot broke')) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }));
  const adapter = new FlakyAdapter(async () => {
    throw failure();
  });
  adapter.onTurnError = createTurnErrorHandler({ logger, ...deps });
  return { adapter, lines };
}

it("logs the failure by name and message with the channel, and apologises in the user's language", async () => {
  const { adapter, lines } = harness({ errorText: (locale) => `sorry (${locale})` });
  await adapter
    .send({ type: 'message', text: 'hi', locale: 'fr' })
    .assertReply((reply) => expect(reply).toMatchObject({ type: 'message', text: 'sorry (fr)', textFormat: 'plain' }))
    .startTest();
  const failed = lines.filter((l) => l.msg === 'turn failed');
  expect(failed).toHaveLength(1);
  expect(failed[0]).toMatchObject({ level: 50, channel: 'test', err: { name: 'Error', message: 'the bot broke' } });
  // Never the stack: it can hold request data.
  expect(JSON.stringify(failed[0])).not.toContain('createTurnErrorHandler.test');
});

it('sends nothing without an apology text, but still logs the failure', async () => {
  const { adapter, lines } = harness({});
  await adapter.send('hi').startTest();
  expect(adapter.activeQueue).toHaveLength(0);
  expect(lines.filter((l) => l.msg === 'turn failed')).toHaveLength(1);
});

it('logs a warning and swallows the error when the apology cannot be sent either', async () => {
  const { adapter, lines } = harness({ errorText: () => 'sorry' });
  adapter.failing = true;
  await expect(adapter.send('hi').startTest()).resolves.toBeUndefined();
  expect(lines.map((l) => l.msg)).toEqual(['turn failed', 'could not send the error reply']);
  expect(lines[1]).toMatchObject({ level: 40, channel: 'test' });
});

it("leaves an error the channel handles as an expected outcome to the channel: no 'turn failed', no apology", async () => {
  class Refused extends Error {}
  const seen: Error[] = [];
  const { adapter, lines } = harness(
    {
      errorText: () => 'sorry',
      handleExpected: (error) => {
        seen.push(error);
        return error instanceof Refused;
      },
    },
    () => new Refused('refused'),
  );
  await adapter.send('hi').startTest();
  expect(seen).toHaveLength(1);
  expect(adapter.activeQueue).toHaveLength(0);
  expect(lines).toEqual([]);
});

it('treats an error the channel does not recognise as a failed turn', async () => {
  const { adapter, lines } = harness({ errorText: () => 'sorry', handleExpected: () => false });
  await adapter.send('hi').assertReply('sorry').startTest();
  expect(lines.map((l) => l.msg)).toEqual(['turn failed']);
});
