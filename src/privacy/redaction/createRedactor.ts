import type { CountryCode } from 'libphonenumber-js/max';
import { createAzurePiiRedactor } from './AzurePiiRedactor';
import { createOfflineRedactor, type Redactor } from './RedactionPort';

/** Offline redaction always; Azure AI Language PII detection on top when configured (never alone). */
export function createRedactor(azure: { readonly endpoint: string; readonly key: string } | undefined, country: string): Redactor {
  // Phone numbers written without a country code are read as the region's.
  const defaultCountry = country as CountryCode;
  if (!azure) return createOfflineRedactor({ defaultCountry });
  return createAzurePiiRedactor({ endpoint: azure.endpoint, key: azure.key, defaultCountry });
}
