import type { Logger } from '../../logging/createLogger';
import { createAzureLanguageDetector } from './AzureLanguageDetector';
import type { LanguageDetector } from './LanguageDetector';
import { createOfflineLanguageDetector } from './OfflineLanguageDetector';

/** Offline detection always; Azure AI Language in front of it when configured (it falls back to offline). */
export function createLanguageDetector(azure: { readonly endpoint: string; readonly key: string } | undefined, logger: Logger): LanguageDetector {
  const offline = createOfflineLanguageDetector();
  if (!azure) return offline;
  return createAzureLanguageDetector({
    endpoint: azure.endpoint,
    key: azure.key,
    fallback: offline,
    onFallback: (reason) => logger.warn({ reason: reason.kind, status: reason.status, code: reason.code }, 'language detection: Azure unavailable, used offline result'),
  });
}
