import type { Logger } from '../logging/createLogger';
import { createPseudonymiser, type Pseudonymise } from './createPseudonymiser';
import { createFieldCipher } from './encryption/createFieldCipher';
import { decodeDataKey } from './encryption/decodeDataKey';
import type { FieldCipher } from './encryption/FieldCipher';
import { resolveDataKey } from './encryption/resolveDataKey';
import { resolvePseudonymKey } from './resolvePseudonymKey';

/**
 * The two secrets of an install: the pseudonym key (channel ids → keyed pseudonyms) and the data key (what is
 * stored sealed). Either falls back to a key generated next to the database, with a warning, so that
 * `npm start` works on a bare machine; a real deployment sets both.
 */
export function openKeys(
  config: { readonly pseudonymKey?: string; readonly dataKey?: string; readonly previousDataKeys: readonly string[]; readonly dataDir: string },
  logger: Logger,
): { readonly pseudonymise: Pseudonymise; readonly cipher: FieldCipher } {
  const pseudonymKey = resolvePseudonymKey(config.pseudonymKey, config.dataDir);
  if (pseudonymKey.source !== 'config') {
    logger.warn({ keyFile: 'DATA_DIR/pseudonym.key' }, 'PSEUDONYM_KEY is not set: using a key generated for this install. Set PSEUDONYM_KEY (32+ random characters) before real use, and keep it secret.');
  }
  const dataKey = resolveDataKey(config.dataKey, config.dataDir);
  if (dataKey.source !== 'config') {
    logger.warn({ keyFile: 'DATA_DIR/data.key' }, 'DATA_KEY is not set: escalations are encrypted with a key generated for this install and kept next to the database. Set DATA_KEY (openssl rand -base64 32) before real use, and keep it secret.');
  }
  return {
    pseudonymise: createPseudonymiser(pseudonymKey.key),
    cipher: createFieldCipher(dataKey.key, config.previousDataKeys.map((k) => decodeDataKey(k))),
  };
}
