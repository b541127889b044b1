import type { ConsoleDeps } from '../../console/consoleDeps';
import type { DirectoryRepository } from '../../directory/directoryRepository';
import type { ImportSettings } from '../../directory/import/importSettings';
import type { Translate } from '../../language/createTranslator';
import type { Logger } from '../../logging/createLogger';
import type { FieldCipher } from '../../privacy/encryption/FieldCipher';
import type { Clock } from '../../shared/clock';
import type { AuditTrail } from '../AuditTrail';
import type { Mailer } from '../mail/Mailer';
import type { RateLimiter } from '../security/RateLimiter';
import type { StaffStores } from '../staffStores';
import type { StaffSessions } from '../StaffSessions';

/** Everything the staff modules (pages, token API, purgers) need; built once by createStaffWeb. */
export interface StaffWebDeps {
  readonly stores: StaffStores;
  readonly sessions: StaffSessions;
  readonly audit: AuditTrail;
  readonly t: Translate;
  /** Seals TOTP secrets at rest (the same data key as escalations). */
  readonly cipher: FieldCipher;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Cookies always `Secure` in production; elsewhere only over HTTPS (local http://localhost development). */
  readonly production: boolean;
  /** Base of links sent to staff (invitations, password resets). */
  readonly publicUrl: string;
  /** Sends invitation and reset links; without one, the admin page shows each link once to hand over. */
  readonly mailer?: Mailer;
  /** Per client address: sign-in and second-factor attempts. */
  readonly signInLimiter: RateLimiter;
  /** Per client address: API token requests. */
  readonly tokenLimiter: RateLimiter;
  /** Towns an organisation can serve (the region's gazetteer). */
  readonly areas: readonly { readonly id: string; readonly name: string }[];
  /** Time zone a new organisation's opening hours start in (DEFAULT_TIME_ZONE, else the region's). */
  readonly defaultTimeZone: string;
  /** How long invitation and reset links stay valid. */
  readonly linkLifetimeMs: { readonly invitation: number; readonly passwordReset: number };
  /** How long audit events are kept. */
  readonly auditRetentionMs: number;
  /** The escalation console's ports (src/console/). */
  readonly console: ConsoleDeps;
  /** The service directory (the public HSDS read API). */
  readonly directory: DirectoryRepository;
  /** What imports read from the deployment (region's country and zone, main languages). */
  readonly directoryImport: ImportSettings;
  /** The HSDS organizations a staff organisation keeps (a directory_editor imports only theirs). */
  readonly organizationsKeptBy: (staffOrganisationId: string) => Promise<ReadonlySet<string>>;
}
