import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Azure AI Language's `analyze-text` endpoint, answering PII requests the way the service
 * does (reference §2.3–2.4): the route and api-version, the subscription-key header, `PiiEntityRecognitionResults`
 * with `results.errors` always present and ids echoed, per-document errors for unsupported languages, and the
 * service's error bodies for 400, 401 and 429. It records every request for assertions.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: {
    kind: string;
    analysisInput: { documents: Array<{ id: string; text: string; language?: string }> };
    parameters: Record<string, unknown>;
  };
}

export type FakeMode = 'answer' | 'bad-request' | 'rate-limited' | 'hang';

export interface FakeAzureLanguage {
  readonly endpoint: string;
  readonly key: string;
  readonly requests: RecordedRequest[];
  /** Strings the fake "recognises" in any document, with their PII category. */
  entities: Array<{ text: string; category: string }>;
  unsupportedLanguages: Set<string>;
  mode: FakeMode;
  close(): Promise<void>;
}

const MODEL_VERSION = '2023-09-01';

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-envoy-upstream-service-time': '12', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeAzureLanguage(): Promise<FakeAzureLanguage> {
  const fake: Omit<FakeAzureLanguage, 'endpoint' | 'close'> = {
    key: 'test-key-0123456789',
    requests: [],
    entities: [],
    unsupportedLanguages: new Set(['ti', 'ht', 'tl']),
    mode: 'answer',
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedRequest['body'];
      fake.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (fake.mode === 'hang') return; // never answers
      if (req.method !== 'POST' || req.url !== '/language/:analyze-text?api-version=2023-04-01') {
        return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
      }
      if (req.headers['ocp-apim-subscription-key'] !== fake.key) {
        return send(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } });
      }
      if (fake.mode === 'rate-limited') {
        return send(res, 429, { error: { code: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' } }, { 'retry-after': '1' });
      }
      const documents = body.analysisInput?.documents ?? [];
      if (fake.mode === 'bad-request' || documents.length > 5) {
        return send(res, 400, { error: { code: 'InvalidRequest', message: 'Invalid document in request.', innererror: { code: 'InvalidDocumentBatch', message: 'Batch request contains too many records. Max 5 records are permitted.' } } });
      }
      const results = { documents: [] as unknown[], errors: [] as unknown[], modelVersion: MODEL_VERSION };
      for (const doc of documents) {
        if (doc.language && fake.unsupportedLanguages.has(doc.language)) {
          results.errors.push({ id: doc.id, error: { code: 'InvalidArgument', message: 'Invalid Language Code.', innererror: { code: 'UnsupportedLanguageCode', message: `Invalid language code '${doc.language}'. Supported languages: ar,en,es,fr,... For additional details see https://aka.ms/language-service/language-support?tabs=pii` } } });
          continue;
        }
        const entities = fake.entities.flatMap(({ text, category }) => {
          const offset = doc.text.indexOf(text);
          return offset < 0 ? [] : [{ text, category, offset, length: text.length, confidenceScore: 0.85 }];
        });
        let redactedText = doc.text;
        for (const e of entities) redactedText = redactedText.slice(0, e.offset) + '*'.repeat(e.length) + redactedText.slice(e.offset + e.length);
        results.documents.push({ id: doc.id, redactedText, entities, warnings: [] });
      }
      send(res, 200, { kind: 'PiiEntityRecognitionResults', results });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
