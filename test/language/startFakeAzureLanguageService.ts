import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Azure AI Language's synchronous analyze-text endpoint, answering LanguageDetection
 * with the service's wire format (docs: /work/shared/reference/language-and-pii.md §2.2 and §2.4). The real
 * `@azure/ai-language-text` client talks to it over HTTP, so tests exercise the SDK's serialisation, headers,
 * error mapping and abort handling, not a mock of them.
 */

export const ANALYZE_TEXT_PATH = '/language/:analyze-text';
export const API_VERSION = '2023-04-01';

export type FakeBehaviour =
  | 'answer'
  | 'unauthorized'
  | 'quota-exhausted'
  | 'rate-limited'
  | 'server-error'
  | 'document-error'
  | 'never-answers';

export interface DetectedLanguageWire {
  readonly name: string;
  readonly iso6391Name: string;
  readonly confidenceScore: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeAzureLanguageService {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly endpoint: string;
  readonly key: string;
  readonly requests: RecordedRequest[];
  behaviour: FakeBehaviour;
  /** What to answer per document text; anything else is "(Unknown)", as the service does. */
  readonly answers: Map<string, DetectedLanguageWire>;
  close(): Promise<void>;
}

const UNKNOWN: DetectedLanguageWire = { name: '(Unknown)', iso6391Name: '(Unknown)', confidenceScore: 0 };

const ERRORS: Readonly<Record<Exclude<FakeBehaviour, 'answer' | 'document-error' | 'never-answers'>, readonly [number, object]>> = {
  unauthorized: [401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } }],
  'quota-exhausted': [403, { error: { code: '403', message: 'Out of call volume quota for TextAnalytics F0 pricing tier. Please retry after 15 days. To increase your call volume switch to a paid tier.' } }],
  'rate-limited': [429, { error: { code: '429', message: 'Requests to the Analyze Text API under Language have exceeded rate limit of your current Language F0 pricing tier. Please retry after 1 second.' } }],
  'server-error': [500, { error: { code: 'InternalServerError', message: 'Internal server error.' } }],
};

function send(res: http.ServerResponse, status: number, body: object, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'apim-request-id': 'fake-request-id', ...headers });
  res.end(JSON.stringify(body));
}

interface WireDocument {
  readonly id: string;
  readonly text: string;
}

function documentsOf(body: unknown): WireDocument[] {
  const documents = (body as { analysisInput?: { documents?: unknown } } | undefined)?.analysisInput?.documents;
  return Array.isArray(documents) ? (documents as WireDocument[]) : [];
}

/** Starts the fake on a free loopback port. `key` is the subscription key it accepts. */
export async function startFakeAzureLanguageService(key = 'fake-key-0123456789'): Promise<FakeAzureLanguageService> {
  const requests: RecordedRequest[] = [];
  const fake: FakeAzureLanguageService = {
    endpoint: '',
    key,
    requests,
    behaviour: 'answer',
    answers: new Map(),
    close: async () => undefined,
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });

      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method !== 'POST' || url.pathname !== ANALYZE_TEXT_PATH || url.searchParams.get('api-version') !== API_VERSION) {
        send(res, 404, { error: { code: '404', message: 'Resource not found' } });
        return;
      }
      if (req.headers['ocp-apim-subscription-key'] !== key) {
        send(res, ...ERRORS.unauthorized);
        return;
      }
      switch (fake.behaviour) {
        case 'never-answers':
          return; // keeps the socket open until the client gives up
        case 'unauthorized':
        case 'quota-exhausted':
        case 'server-error':
          send(res, ...ERRORS[fake.behaviour]);
          return;
        case 'rate-limited':
          send(res, ...ERRORS['rate-limited'], { 'retry-after': '1' });
          return;
        case 'document-error':
          send(res, 200, {
            kind: 'LanguageDetectionResults',
            results: {
              documents: [],
              errors: documentsOf(body).map((d) => ({
                id: d.id,
                error: { code: 'InvalidArgument', message: 'Invalid document in request.', innererror: { code: 'InvalidDocument', message: 'Document text is empty.' } },
              })),
              modelVersion: '2023-12-01',
            },
          });
          return;
        case 'answer':
          send(res, 200, {
            kind: 'LanguageDetectionResults',
            results: {
              documents: documentsOf(body).map((d) => ({ id: d.id, detectedLanguage: fake.answers.get(d.text) ?? UNKNOWN, warnings: [] })),
              errors: [],
              modelVersion: '2023-12-01',
            },
          });
          return;
      }
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
