/** What a detector says about a short message. `language` is one of our locale codes, or undefined. */
export interface Detection {
  readonly language: string | undefined;
  /** 0..1; adapters map their own scores onto this scale (documented in each adapter). */
  readonly confidence: number;
  /** Which adapter answered ("offline", "azure", or "offline-fallback" when the cloud failed). */
  readonly source: string;
  /**
   * With `language` undefined: a language the detector recognised that we do not serve (German, Polish,
   * Korean…), as a lowercase primary language code, with the same confidence scale. The bot then says which
   * languages it offers instead of "I didn't understand".
   */
  readonly unserved?: { readonly code: string; readonly confidence: number };
}

/**
 * The language-detection port. Adapters: the offline default (no network) and Azure AI Language when
 * configured (falling back to the offline result on timeout, error or quota). Never throws for a message
 * it cannot classify: it answers `{ language: undefined, confidence: 0 }`.
 */
export interface LanguageDetector {
  detect(text: string): Promise<Detection>;
}
