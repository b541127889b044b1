import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';

export const ANALYZE_CONVERSATIONS_PATH = '/language/:analyze-conversations';
const API_VERSION = '2023-04-01';

export interface AzureCrisisClassifierOptions {
  /** The Azure AI Language resource, e.g. https://<name>.cognitiveservices.azure.com */
  readonly endpoint: string;
  readonly key: string;
  /** A conversational language understanding (CLU) project whose intents are the crisis categories. */
  readonly projectName: string;
  readonly deploymentName: string;
  /** An intent counts from this confidence on. */
  readonly minConfidence?: number;
  /** A turn never waits longer than this for the second opinion. */
  readonly timeoutMs?: number;
}

interface CluResponse {
  result?: { prediction?: { topIntent?: unknown; intents?: { category?: unknown; confidenceScore?: unknown }[] } };
}

/**
 * A second opinion on danger from Azure AI Language: a conversational language understanding deployment
 * trained with one intent per crisis category (`violence`, `exploitation`, `medical`, `suicide`, `child`,
 * optionally prefixed `crisis.`) and any others for ordinary messages. The REST call is the service's own
 * (`POST {endpoint}/language/:analyze-conversations`). It can only add a detection: an answer naming no
 * crisis intent, a low confidence, an error or a timeout all mean "no opinion", and the offline terms decide.
 */
export function createAzureCrisisClassifier(options: AzureCrisisClassifierOptions): { classify(text: string): Promise<CrisisCategory | undefined> } {
  const url = `${options.endpoint.replace(/\/+$/, '')}${ANALYZE_CONVERSATIONS_PATH}?api-version=${API_VERSION}`;
  const minConfidence = options.minConfidence ?? 0.6;
  return {
    async classify(text) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 1500);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'ocp-apim-subscription-key': options.key, 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'Conversation',
            analysisInput: { conversationItem: { id: '1', participantId: 'user', modality: 'text', text } },
            parameters: { projectName: options.projectName, deploymentName: options.deploymentName, stringIndexType: 'TextElement_V8' },
          }),
          signal: controller.signal,
        });
        if (!response.ok) return undefined;
        const body = (await response.json()) as CluResponse;
        const prediction = body.result?.prediction;
        const top = (prediction?.intents ?? []).find((i) => i.category === prediction?.topIntent);
        if (typeof top?.category !== 'string' || typeof top.confidenceScore !== 'number' || top.confidenceScore < minConfidence) return undefined;
        const name = top.category.replace(/^crisis\./, '');
        return (CRISIS_CATEGORIES as readonly string[]).includes(name) ? (name as CrisisCategory) : undefined;
      } catch {
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
