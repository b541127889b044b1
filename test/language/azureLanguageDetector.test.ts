import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAzureLanguageDetector,
  type AzureFallbackReason,
  type AzureLanguageDetectorConfig,
} from '../../src/language/detection/AzureLanguageDetector';
import { createOfflineLanguageDetector } from '../../src/language/detection/OfflineLanguageDetector';
import { HIGH_CONFIDENCE } from '../../src/language/detection/scaleConfidenceByLength';
import { CLEAR_SPANISH, describeLanguageDetectorContract, ONE_SPANISH_WORD } from './describeLanguageDetectorContract';
import { ANALYZE_TEXT_PATH, API_VERSION, startFakeAzureLanguageService, type FakeAzureLanguageService, type FakeBehaviour } from './startFakeAzureLanguageService';
import { settlesBeforeTimer } from '../support/waitFor';

const offline = createOfflineLanguageDetector();
const SPANISH = { name: 'Spanish', iso6391Name: 'es', confidenceScore: 0.99 };
const EXPECTED_PATH = `${ANALYZE_TEXT_PATH}?api-version=${API_VERSION}`;

describeLanguageDetectorContract('Azure (against a local fake)', async () => {
  const fake = await startFakeAzureLanguageService();
  fake.answers.set(CLEAR_SPANISH, SPANISH);
  fake.answers.set(ONE_SPANISH_WORD, SPANISH);
  return { detector: createAzureLanguageDetector({ endpoint: fake.endpoint, key: fake.key, fallback: offline }), close: () => fake.close() };
});

describe('Azure language detector', () => {
  let fake: FakeAzureLanguageService;
  let fallbacks: AzureFallbackReason[];
  const make = (overrides: Partial<AzureLanguageDetectorConfig> = {}) =>
    createAzureLanguageDetector({
      endpoint: fake.endpoint,
      key: fake.key,
      fallback: offline,
      onFallback: (reason) => fallbacks.push(reason),
      ...overrides,
    });

  beforeEach(async () => {
    fake = await startFakeAzureLanguageService();
    fake.answers.set(CLEAR_SPANISH, SPANISH);
    fallbacks = [];
  });
  afterEach(() => fake.close());

  describe('when the service answers', () => {
    it("answers with the service's language and confidence", async () => {
      expect(await make().detect(CLEAR_SPANISH)).toEqual({ language: 'es', confidence: 0.99, source: 'azure' });
      expect(fallbacks).toEqual([]);
    });

    it('posts one document to the documented path with the subscription key and countryHint "none"', async () => {
      await make().detect(CLEAR_SPANISH);
      expect(fake.requests).toHaveLength(1);
      const [request] = fake.requests;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe(EXPECTED_PATH);
      expect(request?.headers['ocp-apim-subscription-key']).toBe(fake.key);
      expect(request?.body).toEqual({
        kind: 'LanguageDetection',
        analysisInput: { documents: [{ id: '0', text: CLEAR_SPANISH, countryHint: 'none' }] },
        parameters: {},
      });
    });

    it('accepts an endpoint with a trailing slash without doubling the path separator', async () => {
      const detection = await make({ endpoint: `${fake.endpoint}/` }).detect(CLEAR_SPANISH);
      expect(detection).toMatchObject({ language: 'es', source: 'azure' });
      expect(fake.requests.map((r) => r.url)).toEqual([EXPECTED_PATH]);
    });

    it.each([
      ['prs (Dari)', 'fa'],
      ['zh_chs (Chinese Simplified)', 'zh'],
      ['zh_cht (Chinese Traditional)', 'zh'],
      ['pt-BR (Brazilian Portuguese)', 'pt'],
      ['fil (Filipino)', 'tl'],
    ])('maps %s to %s', async (name, expected) => {
      const iso6391Name = name.split(' ')[0] ?? '';
      const text = 'a message long enough to be sure of its language';
      fake.answers.set(text, { name: 'x', iso6391Name, confidenceScore: 1 });
      expect(await make().detect(text)).toEqual({ language: expected, confidence: 1, source: 'azure' });
    });

    it('claims no language when the service says "(Unknown)"', async () => {
      expect(await make().detect('zzzq vvvk qqqz')).toEqual({ language: undefined, confidence: 0, source: 'azure' });
      expect(fallbacks).toEqual([]);
    });

    it('claims none of our languages when the service names one we do not serve, and says which it named', async () => {
      const german = 'ich brauche einen Arzt für mein Kind';
      fake.answers.set(german, { name: 'German', iso6391Name: 'de', confidenceScore: 1 });
      expect(await make().detect(german)).toEqual({ language: undefined, confidence: 0, source: 'azure', unserved: { code: 'de', confidence: 1 } });
    });

    it('limits the confidence of a one-word message, however sure the service is', async () => {
      fake.answers.set('hola', SPANISH);
      const detection = await make().detect('hola');
      expect(detection.language).toBe('es');
      expect(detection.confidence).toBeLessThan(HIGH_CONFIDENCE);
    });

    it('does not send emoji-only or numbers-only messages to the service', async () => {
      const detector = make();
      for (const text of ['🙏🙏', '0612 345 678', '', '?!']) {
        expect(await detector.detect(text)).toMatchObject({ language: undefined, confidence: 0 });
      }
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('when the service fails, it answers with the offline detector', () => {
    const failures: ReadonlyArray<readonly [string, FakeBehaviour, AzureFallbackReason]> = [
      ['a rejected key (401)', 'unauthorized', { kind: 'http-error', status: 401, code: '401' }],
      ['an exhausted quota (403)', 'quota-exhausted', { kind: 'http-error', status: 403, code: '403' }],
      ['a rate limit (429)', 'rate-limited', { kind: 'http-error', status: 429, code: '429' }],
      ['a server error (500)', 'server-error', { kind: 'http-error', status: 500, code: 'InternalServerError' }],
      ['an error for the document', 'document-error', { kind: 'document-error', code: 'InvalidDocument' }],
    ];

    it.each(failures)('after %s', async (_name, behaviour, reason) => {
      fake.behaviour = behaviour;
      const expected = await offline.detect(CLEAR_SPANISH);
      expect(await make().detect(CLEAR_SPANISH)).toEqual({ ...expected, source: 'offline-fallback' });
      expect(fallbacks).toEqual([reason]);
      expect(fake.requests).toHaveLength(1); // no retries: a retry could not finish inside the timeout
    });

    it('after a wrong key, with the offline language and confidence', async () => {
      const detection = await make({ key: 'not-the-key' }).detect(CLEAR_SPANISH);
      expect(detection).toMatchObject({ language: 'es', source: 'offline-fallback' });
      expect(detection.confidence).toBeGreaterThanOrEqual(HIGH_CONFIDENCE);
    });

    it('when nothing listens at the endpoint', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const detection = await make({ endpoint: `http://127.0.0.1:${port}` }).detect(CLEAR_SPANISH);
      expect(detection).toMatchObject({ language: 'es', source: 'offline-fallback' });
      expect(fallbacks).toEqual([{ kind: 'network-error', code: 'ECONNREFUSED' }]);
    });

    it('within about 1.6 s when the service never answers', async () => {
      fake.behaviour = 'never-answers';
      // Timers never fire early, so not before about 1.5 s; and before a control timer of twice that, started at
      // the same moment (on a loaded machine both fire late alike, where a wall-clock bound would not hold).
      const started = Date.now();
      const detection = await settlesBeforeTimer(make().detect(CLEAR_SPANISH), 3000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1450);
      expect(detection).toMatchObject({ language: 'es', source: 'offline-fallback' });
      expect(fallbacks).toEqual([{ kind: 'timeout' }]);
    });

    it('within a shorter configured timeout', async () => {
      fake.behaviour = 'never-answers';
      // Before a control timer of the default 1.5 s would fire.
      await expect(settlesBeforeTimer(make({ timeoutMs: 200 }).detect(CLEAR_SPANISH), 1500)).resolves.toMatchObject({ source: 'offline-fallback' });
    });

    it('even when the fallback itself throws', async () => {
      fake.behaviour = 'server-error';
      const broken = { detect: () => Promise.reject(new Error('boom')) };
      expect(await make({ fallback: broken }).detect(CLEAR_SPANISH)).toEqual({ language: undefined, confidence: 0, source: 'offline-fallback' });
    });
  });

  describe('configuration', () => {
    it.each([
      ['a timeout above 1.5 s', { timeoutMs: 5000 }],
      ['a zero timeout', { timeoutMs: 0 }],
      ['an empty key', { key: ' ' }],
      ['an endpoint that is not an http(s) URL', { endpoint: 'my-resource.cognitiveservices.azure.com' }],
    ])('refuses %s at construction', (_name, overrides) => {
      expect(() => make(overrides)).toThrow();
    });
  });
});
