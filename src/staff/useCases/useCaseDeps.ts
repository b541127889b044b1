import type { Translate } from '../../language/createTranslator';
import type { Logger } from '../../logging/createLogger';
import type { FieldCipher } from '../../privacy/encryption/FieldCipher';
import type { AuditTrail } from '../AuditTrail';
import type { Mailer } from '../mail/Mailer';
import type { StaffStores } from '../staffStores';

/**
 * The ports a staff use case may need. Each use case names the few it uses (`Pick`), so a reader sees what it
 * touches and a test can hand it only those.
 */
export interface UseCaseDeps {
  readonly stores: StaffStores;
  /** Recording is part of the action: a use case that changes something records it or fails. */
  readonly audit: Pick<AuditTrail, 'record'>;
  readonly clock: () => number;
  /** Seals TOTP secrets at rest. */
  readonly cipher: FieldCipher;
  readonly mailer?: Mailer;
  /** Mail text, in the recipient's language. */
  readonly t: Translate;
  readonly logger: Logger;
  /** Base of links sent to staff. */
  readonly publicUrl: string;
  readonly linkLifetimeMs: { readonly invitation: number; readonly passwordReset: number };
}
