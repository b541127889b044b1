import type { DetectCrisis } from '../crisis/createCrisisDetector';
import type { Translator } from '../language/createTranslator';
import { ASK_CONFIDENCE, HIGH_CONFIDENCE } from '../language/detection/scaleConfidenceByLength';
import { orderByPriority } from '../language/orderByPriority';
import type { SupportedLanguages } from '../language/supportedLanguages';
import type { DialogGraph } from './dialogFile';
import { buildCommandIndex } from './globalCommands';
import type { EngineContext, Town } from './turnContextData';

/** What the pure engine knows about this deployment, assembled from the validated data files and settings. */
export function createEngineContext(parts: {
  readonly graph: DialogGraph;
  readonly languages: SupportedLanguages;
  readonly translator: Translator;
  readonly towns: readonly Town[];
  readonly defaultLocale: string;
  /** Locales the picker lists first (LOCALE_PRIORITY). */
  readonly localePriority: readonly string[];
  readonly detectCrisis?: DetectCrisis;
}): EngineContext {
  const { languages, translator } = parts;
  return {
    detectCrisis: parts.detectCrisis,
    graph: parts.graph,
    commands: buildCommandIndex(languages.codes.map((code) => (translator.resources[code]?.commands ?? {}) as Record<string, unknown>)),
    languages: orderByPriority(languages.list, parts.localePriority).map((l) => ({ code: l.code, endonym: l.endonym, accepts: [l.englishName, ...l.aliases] })),
    detectionThreshold: HIGH_CONFIDENCE,
    detectionAskThreshold: ASK_CONFIDENCE,
    towns: parts.towns,
    defaultLocale: parts.defaultLocale,
    label: (locale, key) => translator.t(locale, key),
  };
}
