import { randomUUID } from 'node:crypto';
import { formatApiToken, hashSecret, newSecret } from '../security/secretTokens';
import { TOKEN_SCOPES, type ApiToken, type TokenScope } from '../staffModel';
import { recordBy, tokenTarget } from './auditTargets';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from './outcome';
import { isOrganisation } from './staffQueries';
import { nameProblem, someOf, type NameRefusal } from './validation';
import type { UseCaseDeps } from './useCaseDeps';

type Deps = Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>;

export const TOKEN_NAME_MAX = 80;

export interface TokenInput {
  readonly name: string;
  readonly organisationId: string;
  readonly scopes: readonly string[];
}

/**
 * A token for an integration, for one organisation with chosen scopes. `text` is the only copy of the token
 * outside the caller's hands: the store keeps its hash.
 */
export async function createApiToken(deps: Deps, actor: Actor, input: TokenInput): Promise<Outcome<{ token: ApiToken; text: string }, 'forbidden' | NameRefusal | 'organisationRequired' | 'scopesRequired'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = nameProblem(input.name, TOKEN_NAME_MAX);
  if (problem) return refuse(problem);
  if (!(await isOrganisation(deps, input.organisationId))) return refuse('organisationRequired');
  if (!someOf(input.scopes, TOKEN_SCOPES)) return refuse('scopesRequired');
  const secret = newSecret();
  const token: ApiToken = {
    id: randomUUID(),
    organisationId: input.organisationId,
    name: input.name,
    scopes: TOKEN_SCOPES.filter((s) => input.scopes.includes(s)) as TokenScope[],
    secretHash: hashSecret(secret),
    createdBy: actor.account.id,
    createdAt: deps.clock(),
  };
  await deps.stores.apiTokens.create(token);
  await recordBy(deps, actor, { action: 'token-created', ...tokenTarget(token), details: { scopes: [...token.scopes] } });
  return succeed({ token, text: formatApiToken(token.id, secret) });
}

/** Revoking twice is not an error; the first revocation stands and is the one recorded. */
export async function revokeApiToken(deps: Deps, actor: Actor, token: ApiToken): Promise<Outcome<void, 'forbidden'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (token.revokedAt === undefined) {
    await deps.stores.apiTokens.revoke(token.id, deps.clock());
    await recordBy(deps, actor, { action: 'token-revoked', ...tokenTarget(token) });
  }
  return succeed(undefined);
}

/**
 * What an integration learns about the token it calls with (to check a deployment's configuration); each use is
 * recorded, as the token, with the route it came through.
 */
export async function describeApiToken(deps: Pick<UseCaseDeps, 'audit'>, token: ApiToken, call: { readonly ip: string; readonly route: string }) {
  await deps.audit.record({ actor: `token:${token.id}`, action: 'token-used', ...tokenTarget(token), ip: call.ip, details: { route: call.route } });
  return { id: token.id, organisationId: token.organisationId, name: token.name, scopes: [...token.scopes] };
}
