import type { LinkPurpose } from './staffModel';
import type { StaffStores } from './staffStores';
import { hashSecret, newSecret } from './security/secretTokens';

const PATHS: Readonly<Record<LinkPurpose, string>> = { invitation: '/staff/invitation/', 'password-reset': '/staff/reset/' };

/**
 * A single-use link (invitation or password reset) for one person: earlier unused links of the same purpose
 * stop working, only the secret's hash is stored, and the full link is returned once, to be mailed or handed over.
 */
export async function issueLink(
  deps: { readonly stores: StaffStores; readonly clock: () => number; readonly publicUrl: string; readonly linkLifetimeMs: { readonly invitation: number; readonly passwordReset: number } },
  staffId: string,
  purpose: LinkPurpose,
): Promise<string> {
  const now = deps.clock();
  await deps.stores.linkTokens.revokeAllOf(staffId, purpose, now);
  const secret = newSecret();
  const lifetime = purpose === 'invitation' ? deps.linkLifetimeMs.invitation : deps.linkLifetimeMs.passwordReset;
  await deps.stores.linkTokens.create({ tokenHash: hashSecret(secret), staffId, purpose, createdAt: now, expiresAt: now + lifetime });
  return `${deps.publicUrl}${PATHS[purpose]}${secret}`;
}
