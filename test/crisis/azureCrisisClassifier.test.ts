import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { createAzureCrisisClassifier } from '../../src/crisis/AzureCrisisClassifier';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { startTestBot } from '../support/startTestBot';
import { compileCrisisMatcher } from '../../src/crisis/compileCrisisMatcher';
import { loadCrisisTerms } from '../../src/crisis/loadCrisisTerms';

/**
 * The second opinion on danger: a conversational language understanding deployment on Azure AI Language,
 * reached with the service's own REST call (`POST /language/:analyze-conversations`), here a local fake that
 * answers in the service's wire format. It can add a crisis the terms missed, never remove one; errors and
 * timeouts change nothing.
 */
interface CluRequest {
  readonly url: string;
  readonly key: string | undefined;
  readonly body: { kind: string; analysisInput: { conversationItem: { text: string } }; parameters: { projectName: string; deploymentName: string } };
}

let server: http.Server;
let endpoint = '';
const requests: CluRequest[] = [];
/** What the fake says the top intent is, by message text; "None" for anything else. */
const intents = new Map<string, [string, number]>();
let mode: 'answer' | 'error' | 'hang' = 'answer';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CluRequest['body'];
      requests.push({ url: req.url ?? '', key: req.headers['ocp-apim-subscription-key'] as string | undefined, body });
      if (mode === 'hang') return;
      if (mode === 'error') {
        res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: '429', message: 'Rate limit is exceeded.' } }));
        return;
      }
      const text = body.analysisInput.conversationItem.text;
      const [topIntent, confidenceScore] = intents.get(text) ?? ['None', 0.93];
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(
        JSON.stringify({
          kind: 'ConversationResult',
          result: {
            query: text,
            prediction: { topIntent, projectKind: 'Conversation', intents: [{ category: topIntent, confidenceScore }, { category: 'None', confidenceScore: 0.05 }], entities: [] },
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  mode = 'answer';
});

const classifier = (timeoutMs = 1500) => createAzureCrisisClassifier({ endpoint, key: 'clu-key', projectName: 'waymark-crisis', deploymentName: 'production', timeoutMs });

describe('the Azure crisis classifier', () => {
  it('sends the service its request and reads a crisis intent, with or without the "crisis." prefix', async () => {
    intents.set('they keep me in the back room', ['crisis.exploitation', 0.88]);
    intents.set('he has a knife', ['violence', 0.71]);
    expect(await classifier().classify('they keep me in the back room')).toBe('exploitation');
    expect(await classifier().classify('he has a knife')).toBe('violence');
    const request = requests.at(-1) as CluRequest;
    expect(request.url).toBe('/language/:analyze-conversations?api-version=2023-04-01');
    expect(request.key).toBe('clu-key');
    expect(request.body).toMatchObject({ kind: 'Conversation', analysisInput: { conversationItem: { text: 'he has a knife' } }, parameters: { projectName: 'waymark-crisis', deploymentName: 'production' } });
  });

  it('has no opinion on another intent, a low confidence, an error or a timeout', async () => {
    intents.set('where is the library', ['Directions', 0.95]);
    intents.set('he might hurt me', ['violence', 0.4]);
    expect(await classifier().classify('where is the library')).toBeUndefined();
    expect(await classifier().classify('he might hurt me')).toBeUndefined();
    mode = 'error';
    expect(await classifier().classify('he has a knife')).toBeUndefined();
    mode = 'hang';
    expect(await classifier(100).classify('he has a knife')).toBeUndefined();
  });
});

describe('the bot with the classifier', () => {
  const languages = loadSupportedLanguages(PATHS.locales);
  const translator = createTranslator(PATHS.locales, languages.codes);
  const intro = translator.t('en', 'common:crisis.intro');
  const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
  let bot: Awaited<ReturnType<typeof startTestBot>>;
  beforeAll(async () => {
    bot = await startTestBot({}, { crisisClassifier: classifier() });
  });
  afterAll(() => bot.waymark.close());
  const atMenu = (id: string) => bot.adapterFor(id).send('hi').assertReply(() => undefined).send('English').assertReply(() => undefined);

  it('shows the emergency screen for a message only the classifier recognised', async () => {
    const text = 'three men at the door say i must come out now';
    // The offline terms do not know this one: the screen can only come from the second opinion.
    expect(compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes)).find(text)).toEqual([]);
    intents.set(text, ['violence', 0.9]);
    await atMenu('clu-adds')
      .send(text)
      .assertReply((reply) => expect(plain(reply)).toContain(intro))
      .startTest();
  });

  it('keeps the emergency screen when the classifier sees no crisis, or fails', async () => {
    await atMenu('clu-cannot-remove')
      .send('i want to kill myself')
      .assertReply((reply) => expect(plain(reply)).toContain(intro))
      .startTest();
    mode = 'error';
    await atMenu('clu-fails')
      .send('i want to kill myself')
      .assertReply((reply) => expect(plain(reply)).toContain(intro))
      .send('where is the library')
      .assertReply((reply) => expect(plain(reply)).not.toContain(intro))
      .startTest();
  });
});
