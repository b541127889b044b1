import type { DialogGraph } from './dialogFile';
import type { CommandIndex } from './globalCommands';
import type { DetectCrisis } from '../crisis/createCrisisDetector';

/** A town of the region's bundled gazetteer. */
export interface Town {
  readonly id: string;
  readonly name: string;
  readonly altNames: readonly string[];
  /** The name in a language's usual script or form, by locale (demo/region.json `names`). */
  readonly names?: Readonly<Record<string, string>>;
  readonly latitude: number;
  readonly longitude: number;
}

export interface PickerLanguage {
  readonly code: string;
  readonly endonym: string;
  /** Other names accepted when typed: English name, code, aliases. */
  readonly accepts: readonly string[];
}

/** Everything the pure engine needs to know about the deployment; built once at start. */
export interface EngineContext {
  readonly graph: DialogGraph;
  readonly commands: CommandIndex;
  readonly languages: readonly PickerLanguage[];
  readonly towns: readonly Town[];
  readonly defaultLocale: string;
  /** Detection confidence from which the bot answers in the detected language without asking. */
  readonly detectionThreshold: number;
  /** Below this confidence a detection is ignored (greetings, single words): the picker is shown instead. */
  readonly detectionAskThreshold: number;
  /** Reads every free-text message for danger before anything else; absent, nothing is detected. */
  readonly detectCrisis?: DetectCrisis;
  /** Choice labels are text keys; the engine matches replies against them in the user's locale. */
  label(locale: string, key: string): string;
}
