import { AzureKeyCredential, TextAnalysisClient, type PiiEntityRecognitionResult } from '@azure/ai-language-text';
import type { CountryCode } from 'libphonenumber-js/max';
import { mapRedactedRange } from './mapRedactedRange';
import { mergeSpans } from './mergeSpans';
import { createOfflineRedactor, type RedactionFallbackReason, type RedactionResult, type Redactor } from './RedactionPort';
import type { RedactionKind, RedactionSpan } from './RedactionSpan';
import { applyRedactions } from './redactText';

export interface AzurePiiRedactorConfig {
  /** The Language resource endpoint, e.g. https://my-resource.cognitiveservices.azure.com (http only for tests). */
  readonly endpoint: string;
  readonly key: string;
  /** Give up on Azure after this long (at most 1,500 ms, the budget of a chat turn); default 1,200 ms. */
  readonly timeoutMs?: number;
  /** The deployment's country, for the offline pass. */
  readonly defaultCountry?: CountryCode;
  /** The offline redactor that always runs first; `createOfflineRedactor` by default. */
  readonly offline?: Redactor;
}

// Categories that matter for migrants (reference §2.6). Azure has nothing for Afghan, Syrian or Eritrean ids, A-numbers
// or visa numbers: the offline rules cover those.
const CATEGORIES: Readonly<Record<string, RedactionKind>> = {
  Person: 'name',
  PhoneNumber: 'phone',
  Email: 'email',
  Address: 'address',
  Date: 'date-of-birth',
  EUPassportNumber: 'id-number',
  USUKPassportNumber: 'id-number',
  CAPassportNumber: 'id-number',
  DEPassportNumber: 'id-number',
  FRPassportNumber: 'id-number',
  PLPassportNumber: 'id-number',
  SEPassportNumber: 'id-number',
  UAPassportNumberDomestic: 'id-number',
  UAPassportNumberInternational: 'id-number',
  RUPassportNumberDomestic: 'id-number',
  RUPassportNumberInternational: 'id-number',
  EUNationalIdentificationNumber: 'id-number',
  ESTaxIdentificationNumber: 'id-number',
  ESSocialSecurityNumber: 'id-number',
  TRNationalIdentificationNumber: 'id-number',
  SANationalID: 'id-number',
  INUniqueIdentificationNumber: 'id-number',
  PHUnifiedMultiPurposeIDNumber: 'id-number',
  IDIdentityCardNumber: 'id-number',
  CNResidentIdentityCardNumber: 'id-number',
  USSocialSecurityNumber: 'id-number',
  USIndividualTaxpayerIdentification: 'id-number',
  UKNationalInsuranceNumber: 'id-number',
  InternationalBankingAccountNumber: 'id-number',
  CreditCardNumber: 'id-number',
};

// Languages Azure PII accepts (its documentation, 2024): not Tigrinya, Haitian Creole or Tagalog.
const AZURE_PII_LANGUAGES = new Set(
  ('af am ar as az bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl gu he hi hr hu hy id it ja ka kk km kn ko ku ' +
    'ky lo lt lv mg mk ml mn mr ms my ne nl no nb or pa pl ps pt pt-br pt-pt ro ru sk sl so sq sr ss sv sw ta te th tr ' +
    'ug uk ur uz vi zh-hans zh-hant').split(' '),
);
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = { zh: 'zh-hans', 'zh-cn': 'zh-hans', 'zh-tw': 'zh-hant', prs: 'fa' };

// A document longer than this gets a per-document error from the synchronous API (5,120 text elements).
const MAX_DOCUMENT_LENGTH = 5000;
const MAX_TIMEOUT_MS = 1500;

/** Azure's PII language code for one of our locales, or undefined when Azure does not support it. */
export function toAzurePiiLanguage(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  const tag = locale.trim().toLowerCase().replace(/_/g, '-');
  const primary = tag.split('-')[0] ?? '';
  const code = LANGUAGE_ALIASES[tag] ?? LANGUAGE_ALIASES[primary] ?? (AZURE_PII_LANGUAGES.has(tag) ? tag : primary);
  return AZURE_PII_LANGUAGES.has(code) ? code : undefined;
}

function classifyFailure(error: unknown, signal: AbortSignal): RedactionFallbackReason {
  if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return 'timeout';
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate-limited';
  if (status === 400) return 'bad-request';
  return 'unavailable';
}

/**
 * Azure AI Language PII detection on top of the offline rules. The offline pass always runs first and only its
 * output is sent, so status disclosures and the identifiers the rules know never leave the server; Azure's
 * entities (names and addresses in free text, mostly) are then redacted too. Any failure (timeout, 401, 429,
 * 400, an unsupported language) returns the offline result, never an error.
 */
export class AzurePiiRedactor implements Redactor {
  private readonly client: TextAnalysisClient;
  private readonly offline: Redactor;
  private readonly timeoutMs: number;

  constructor(config: AzurePiiRedactorConfig) {
    const endpoint = config.endpoint.replace(/\/+$/, ''); // a trailing slash makes the SDK request //language/…
    this.client = new TextAnalysisClient(endpoint, new AzureKeyCredential(config.key), {
      allowInsecureConnection: endpoint.startsWith('http:'),
      defaultCountryHint: 'none',
      retryOptions: { maxRetries: 0 }, // a retry would blow the chat turn's time budget
    });
    this.offline = config.offline ?? createOfflineRedactor({ defaultCountry: config.defaultCountry });
    this.timeoutMs = Math.min(config.timeoutMs ?? 1200, MAX_TIMEOUT_MS);
  }

  async redact(text: string, locale?: string): Promise<RedactionResult> {
    const offline = await this.offline.redact(text, locale);
    const language = toAzurePiiLanguage(locale);
    const fallback = (reason: RedactionFallbackReason, code?: string): RedactionResult => ({
      ...offline,
      path: 'offline',
      fallback: code ? { reason, code } : { reason },
    });
    if (!language) return fallback('locale-not-supported');
    if (!/\p{L}/u.test(offline.text.replace(/\[redacted:[a-z-]+\]/g, ''))) return fallback('nothing-to-send');
    if (offline.text.length > MAX_DOCUMENT_LENGTH) return fallback('too-long');

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let result: PiiEntityRecognitionResult | undefined;
    try {
      [result] = await this.client.analyze('PiiEntityRecognition', [{ id: '0', text: offline.text, language }], {
        categoriesFilter: Object.keys(CATEGORIES),
        domainFilter: 'none',
        disableServiceLogs: true,
        stringIndexType: 'Utf16CodeUnit',
        abortSignal: controller.signal,
      });
    } catch (error) {
      return fallback(classifyFailure(error, controller.signal));
    } finally {
      clearTimeout(timer);
    }
    if (!result) return fallback('unavailable');
    if (result.error) return fallback('document-error', result.error.code);

    const fromAzure: RedactionSpan[] = [];
    for (const entity of result.entities) {
      const kind = CATEGORIES[entity.category];
      // A weekday or "tomorrow" is a Date entity too, but identifies nobody; a date with a digit might.
      if (!kind || (entity.category === 'Date' && !/\d/.test(entity.text))) continue;
      fromAzure.push({ kind, ...mapRedactedRange(offline.findings, entity.offset, entity.offset + entity.length) });
    }
    const findings = mergeSpans([...offline.findings, ...fromAzure]);
    return { text: applyRedactions(text, findings), findings, path: 'offline+azure' };
  }
}

/** Creates the Azure-backed redactor; use it when the deployment has configured an Azure Language resource. */
export function createAzurePiiRedactor(config: AzurePiiRedactorConfig): Redactor {
  return new AzurePiiRedactor(config);
}
