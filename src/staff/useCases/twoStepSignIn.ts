import { asciiDigits } from '../../conversation/normalizeText';
import { generateTotpSecret, verifyTotp } from '../security/totp';
import type { StaffAccount } from '../staffModel';
import { onOwnAccount } from './auditTargets';
import { currentPasswordHolds } from './newPassword';
import { refuse, succeed, type Actor, type Outcome } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

/** An enrolment that is not confirmed within this time must start again (with a new secret). */
const PENDING_TOTP_MS = 30 * 60_000;

/** A secret being enrolled: in clear for the QR code, and sealed for the form to carry back (nothing is stored yet). */
export interface PendingTotp {
  readonly secret: string;
  readonly sealed: string;
}

const pendingContext = (account: StaffAccount) => `staff:${account.id}:totp-pending`;

/** Step one of enrolment: a new secret, sealed to this person so that a form from someone else's enrolment fails. */
export function startTotpEnrolment(deps: Pick<UseCaseDeps, 'cipher' | 'clock'>, account: StaffAccount): PendingTotp {
  const secret = generateTotpSecret();
  return { secret, sealed: deps.cipher.seal(JSON.stringify({ secret, at: deps.clock() }), pendingContext(account)) };
}

/** The pending secret from the form, if it is this person's, untampered and recent. */
export function openPendingTotp(deps: Pick<UseCaseDeps, 'cipher' | 'clock'>, account: StaffAccount, sealed: string): PendingTotp | undefined {
  try {
    const value = JSON.parse(deps.cipher.open(sealed, pendingContext(account))) as { secret?: unknown; at?: unknown };
    if (typeof value.secret !== 'string' || typeof value.at !== 'number') return undefined;
    if (deps.clock() - value.at > PENDING_TOTP_MS) return undefined;
    return { secret: value.secret, sealed };
  } catch {
    return undefined;
  }
}

/** Step two: a code from the authenticator app proves it holds the secret; from now on sign-in asks for a code. */
export async function confirmTotpEnrolment(
  deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock' | 'cipher'>,
  actor: Actor,
  input: { readonly pending: PendingTotp; readonly code: string },
): Promise<Outcome<void, 'wrong-code'>> {
  const { account } = actor;
  const now = deps.clock();
  // Codes typed on an Arabic or Persian keyboard come in their own digits.
  const checked = verifyTotp(input.pending.secret, asciiDigits(input.code), now);
  if (!checked.ok) return refuse('wrong-code');
  await deps.stores.accounts.update(account.id, { totpSecretSealed: deps.cipher.seal(input.pending.secret, `staff:${account.id}:totp`), totpLastStep: checked.step, updatedAt: now });
  await deps.audit.record({ ...onOwnAccount(account, actor.ip), action: 'totp-enabled' });
  return succeed(undefined);
}

/** Turning the second factor off takes the current password. */
export async function disableTotp(deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>, actor: Actor, current: string): Promise<Outcome<void, 'wrong-password'>> {
  if (!(await currentPasswordHolds(actor.account, current))) return refuse('wrong-password');
  await deps.stores.accounts.update(actor.account.id, { clearTotp: true, updatedAt: deps.clock() });
  await deps.audit.record({ ...onOwnAccount(actor.account, actor.ip), action: 'totp-disabled' });
  return succeed(undefined);
}
