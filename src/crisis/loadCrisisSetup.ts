import path from 'node:path';
import { StartupError } from '../StartupError';
import { createAzureCrisisClassifier } from './AzureCrisisClassifier';
import { compileCrisisMatcher } from './compileCrisisMatcher';
import type { CrisisCategory } from './crisisCategories';
import { createCrisisDetector, type DetectCrisis } from './createCrisisDetector';
import { CRISIS_MODEL_FILE, CrisisModelError, loadCrisisModel, modelCategoryFolded, type CrisisModel } from './crisisModel';
import { CrisisNumbersError, loadCrisisNumbers, type CrisisNumbers } from './loadCrisisNumbers';
import { CrisisTermsError, withCrisisTerms } from './loadCrisisTerms';

/**
 * Every locale's crisis terms, compiled into one detector, with the offline model (`locales/crisis-model.json`)
 * as a second opinion when `CRISIS_MODEL=on`; a missing or broken file stops the start with its name.
 */
export function loadCrisisDetector(localesDir: string, codes: readonly string[], useModel = false): DetectCrisis {
  let model: CrisisModel | undefined;
  try {
    if (useModel) model = loadCrisisModel(path.join(localesDir, CRISIS_MODEL_FILE));
    const matcher = withCrisisTerms(localesDir, codes, compileCrisisMatcher);
    return createCrisisDetector(matcher, model ? (folded) => modelCategoryFolded(model as CrisisModel, folded) : undefined);
  } catch (err) {
    if (err instanceof CrisisTermsError) throw new StartupError(`Crisis terms are invalid: ${err.message}`);
    if (err instanceof CrisisModelError) throw new StartupError(`The crisis model is invalid (CRISIS_MODEL=off runs without it): ${err.message}`);
    throw err;
  }
}

/** The numbers file for the region's country (the demo's unless configured); none when set to "none". */
export function readCrisisNumbers(file: string | undefined, demoDir: string, country: string): CrisisNumbers | undefined {
  if (file === 'none') return undefined;
  try {
    return loadCrisisNumbers(file ?? path.join(demoDir, 'crisis-numbers.json'), country);
  } catch (err) {
    if (err instanceof CrisisNumbersError) throw new StartupError(`Invalid configuration: CRISIS_NUMBERS_FILE: ${err.message}`);
    throw err;
  }
}

export interface CrisisClassifier {
  classify(text: string): Promise<CrisisCategory | undefined>;
}

/** Azure CLU as a second opinion when its project is configured; otherwise none (the term lists decide alone). */
export function chooseCrisisClassifier(
  azure: { readonly endpoint: string; readonly key: string; readonly crisis?: { readonly projectName: string; readonly deploymentName: string } } | undefined,
): CrisisClassifier | undefined {
  return azure?.crisis ? createAzureCrisisClassifier({ endpoint: azure.endpoint, key: azure.key, ...azure.crisis }) : undefined;
}
