import { AzurePiiRedactor, createAzurePiiRedactor, toAzurePiiLanguage } from '../../src/privacy/redaction/AzurePiiRedactor';
import { createOfflineRedactor } from '../../src/privacy/redaction/RedactionPort';
import { describeRedactorContract } from './describeRedactorContract';
import { startFakeAzureLanguage, type FakeAzureLanguage } from './fakeAzureLanguage';
import { settlesBeforeTimer } from '../support/waitFor';

let fake: FakeAzureLanguage;

beforeEach(async () => {
  fake = await startFakeAzureLanguage();
});

afterEach(async () => {
  await fake.close();
});

const azure = (overrides: Partial<ConstructorParameters<typeof AzurePiiRedactor>[0]> = {}) =>
  createAzurePiiRedactor({ endpoint: fake.endpoint, key: fake.key, defaultCountry: 'GB', ...overrides });

describeRedactorContract('offline redactor', () => createOfflineRedactor({ defaultCountry: 'GB' }));
describeRedactorContract('Azure redactor, service answering', () => azure());
describeRedactorContract('Azure redactor, service refusing the key', () => azure({ key: 'wrong' }));

describe('AzurePiiRedactor', () => {
  it('sends only the offline-redacted text, with logging opted out, and redacts what Azure finds too', async () => {
    fake.entities = [{ text: 'Gabriela Ruiz', category: 'Person' }, { text: 'Avenida del Sol, Soria', category: 'Address' }];
    const text = 'Llama al 612 34 56 78. Soy Gabriela Ruiz y trabajo en Avenida del Sol, Soria. No tengo papeles.';
    const result = await azure().redact(text, 'es');

    expect(result).toMatchObject({ path: 'offline+azure' });
    expect(result.fallback).toBeUndefined();
    expect(result.text).toBe('Llama al [redacted:phone]. Soy [redacted:name] y trabajo en [redacted:address]. [redacted:immigration-status].');

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.url).toBe('/language/:analyze-text?api-version=2023-04-01');
    expect(request?.headers['ocp-apim-subscription-key']).toBe(fake.key);
    expect(request?.body.kind).toBe('PiiEntityRecognition');
    expect(request?.body.parameters).toMatchObject({ loggingOptOut: true, domain: 'none', stringIndexType: 'Utf16CodeUnit' });
    expect(request?.body.parameters.piiCategories).toEqual(expect.arrayContaining(['Person', 'PhoneNumber', 'Address', 'Email', 'EUPassportNumber', 'USUKPassportNumber']));
    const [document] = request?.body.analysisInput.documents ?? [];
    expect(document).toMatchObject({ id: '0', language: 'es' });
    // What the offline rules found never left the server.
    expect(document?.text).toBe('Llama al [redacted:phone]. Soy Gabriela Ruiz y trabajo en Avenida del Sol, Soria. [redacted:immigration-status].');
  });

  it('ignores Date entities without a digit and categories it did not ask for', async () => {
    fake.entities = [{ text: 'tomorrow', category: 'Date' }, { text: 'nurse', category: 'PersonType' }, { text: 'Kofi', category: 'Person' }];
    const result = await azure().redact('Kofi can come tomorrow with the nurse', 'en');
    expect(result.text).toBe('[redacted:name] can come tomorrow with the nurse');
  });

  it('maps our locales to Azure language codes and never sends ti, ht or tl', async () => {
    expect(toAzurePiiLanguage('zh')).toBe('zh-hans');
    expect(toAzurePiiLanguage('prs')).toBe('fa');
    expect(toAzurePiiLanguage('pt-BR')).toBe('pt-br');
    expect(toAzurePiiLanguage('es-MX')).toBe('es');
    for (const locale of ['ti', 'ht', 'tl', 'xx', undefined]) expect(toAzurePiiLanguage(locale)).toBeUndefined();

    await azure().redact('我叫李明', 'zh');
    await azure().redact('اسم من علی است', 'prs');
    expect(fake.requests.map((r) => r.body.analysisInput.documents[0]?.language)).toEqual(['zh-hans', 'fa']);

    for (const [locale, text] of [['ti', 'ስመይ ሰላም እዩ፣ ሓገዝ የድልየኒ'], ['ht', 'mwen bezwen èd'], ['tl', 'kailangan ko ng tulong']] as const) {
      const result = await azure().redact(text, locale);
      expect(result).toMatchObject({ path: 'offline', fallback: { reason: 'locale-not-supported' } });
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('does not call Azure when the offline pass left no words', async () => {
    const result = await azure().redact('07911 123456 PAB123456', 'en');
    expect(result).toMatchObject({ path: 'offline', fallback: { reason: 'nothing-to-send' }, text: '[redacted:phone] [redacted:id-number]' });
    expect(fake.requests).toHaveLength(0);
  });

  it('strips a trailing slash from the endpoint', async () => {
    await azure({ endpoint: `${fake.endpoint}/` }).redact('hello Kofi', 'en');
    expect(fake.requests[0]?.url).toBe('/language/:analyze-text?api-version=2023-04-01');
  });

  describe('falls back to the offline result without throwing', () => {
    const text = 'my name is Kofi. I have no papers';
    const offlineText = 'my name is [redacted:name]. [redacted:immigration-status]';

    it('on a per-document error (UnsupportedLanguageCode)', async () => {
      fake.unsupportedLanguages.add('so');
      const result = await azure().redact('magacaygu waa Cali, waxaan u baahanahay caawimaad', 'so');
      expect(result).toMatchObject({ path: 'offline', fallback: { reason: 'document-error', code: 'UnsupportedLanguageCode' }, text: 'magacaygu waa [redacted:name], waxaan u baahanahay caawimaad' });
      expect(fake.requests).toHaveLength(1);
    });

    it('on 400 InvalidDocumentBatch', async () => {
      fake.mode = 'bad-request';
      await expect(azure().redact(text, 'en')).resolves.toMatchObject({ path: 'offline', fallback: { reason: 'bad-request' }, text: offlineText });
    });

    it('on 401 (a wrong key)', async () => {
      await expect(azure({ key: 'not-the-key' }).redact(text, 'en')).resolves.toMatchObject({ path: 'offline', fallback: { reason: 'unauthorized' }, text: offlineText });
    });

    it('on 429, without retrying', async () => {
      fake.mode = 'rate-limited';
      // One request: no retry, neither at once nor after Retry-After (a retry would show as a second request).
      await expect(azure().redact(text, 'en')).resolves.toMatchObject({ path: 'offline', fallback: { reason: 'rate-limited' }, text: offlineText });
      expect(fake.requests).toHaveLength(1);
    });

    it('on a service that never answers, within about 1.5 s', async () => {
      fake.mode = 'hang';
      // Against a control timer started at the same moment, not the wall clock: on a busy machine both fire late.
      const result = await settlesBeforeTimer(azure().redact(text, 'en'), 3000);
      expect(result).toMatchObject({ path: 'offline', fallback: { reason: 'timeout' }, text: offlineText });
      expect(fake.requests).toHaveLength(1);
    });

    it('caps the timeout at 1.5 s whatever is configured', async () => {
      fake.mode = 'hang';
      await expect(settlesBeforeTimer(azure({ timeoutMs: 60_000 }).redact(text, 'en'), 3000)).resolves.toMatchObject({ fallback: { reason: 'timeout' } });
    });

    it('on a refused connection', async () => {
      const endpoint = fake.endpoint;
      await fake.close();
      const result = await azure({ endpoint }).redact(text, 'en');
      expect(result).toMatchObject({ path: 'offline', fallback: { reason: 'unavailable' }, text: offlineText });
      fake = await startFakeAzureLanguage(); // for afterEach
    });
  });
});
