import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config';
import { createStorageBackend } from '../storage/createStorageBackend';
import { issueLink } from '../staff/issueLink';
import { DuplicateEmailError } from '../staff/staffStores';
import type { Organisation, StaffAccount } from '../staff/staffModel';
import { defaultRoutingSettings, organisationDetails } from '../staff/useCases/organisationSettings';
import { loadRegion } from '../directory/loadRegion';
import { PATHS } from '../paths';

/** The same lifetime as invitations sent from the admin pages (createStaffWeb). */
const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60_000;
const RESET_LIFETIME_MS = 60 * 60_000;
/** Recorded as the actor of what this command does: no staff member did it. */
const CLI_ACTOR = 'cli';

export interface CreateAdminInput {
  readonly email: string;
  readonly name: string;
  /** Organisation name: the existing one with this name, else a new one. */
  readonly organisation: string;
}

export interface CreateAdminOutcome {
  readonly staffId: string;
  readonly email: string;
  readonly organisationId: string;
  readonly organisationCreated: boolean;
  /** Single-use link to set the password; shown once, only its hash is stored. */
  readonly link: string;
  readonly expiresAt: number;
}

/** A refusal the operator can fix (bad arguments, taken email): one line, no stack. */
export class CreateAdminError extends Error {
  override readonly name = 'CreateAdminError';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `npm run create-admin -- --email … --name … --organisation …`: the first administrator of a deployment (or a
 * new one when every admin has lost access). The account starts `invited`, with no password: the printed link
 * lets the person choose one, once, within seven days. There is never a default password.
 */
export async function createAdmin(config: Config, input: CreateAdminInput, clock: () => number = Date.now): Promise<CreateAdminOutcome> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const organisationName = input.organisation.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new CreateAdminError(`"${input.email}" is not an email address`);
  if (!name || name.length > 200) throw new CreateAdminError('--name must be 1 to 200 characters');
  if (!organisationName || organisationName.length > 200) throw new CreateAdminError('--organisation must be 1 to 200 characters');

  const storage = await createStorageBackend(config);
  try {
    const repo = storage.staff;
    if (await repo.accounts.findByEmail(email)) throw new CreateAdminError(`an account with the email ${email} already exists; nothing was changed`);
    const now = clock();
    const wanted = organisationName.normalize('NFKC').toLowerCase();
    let organisation = (await repo.organisations.list()).find((o) => o.name.trim().normalize('NFKC').toLowerCase() === wanted);
    const organisationCreated = organisation === undefined;
    const account: StaffAccount = {
      id: randomUUID(),
      email,
      name,
      languages: [],
      organisationId: organisation?.id ?? randomUUID(),
      roles: ['admin'],
      status: 'invited',
      interfaceLocale: 'en',
      failedSignIns: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!organisation) {
      // Serves no town until an admin chooses some on the organisation's page: routing sends it nothing before.
      const settings = defaultRoutingSettings(config.defaultTimeZone ?? loadRegion(PATHS.region).timezone);
      const created: Organisation = { id: account.organisationId, name: organisationName, areas: [], ...settings, createdAt: now };
      await repo.organisations.create(created);
      await repo.audit.append({ at: now, actor: CLI_ACTOR, action: 'organisation-created', targetType: 'organisation', targetId: created.id, organisationId: created.id, details: organisationDetails(created) });
      organisation = created;
    }
    try {
      await repo.accounts.create(account);
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw new CreateAdminError(`an account with the email ${email} already exists; nothing was changed`);
      throw err;
    }
    const link = await issueLink({ stores: repo, clock, publicUrl: config.publicUrl, linkLifetimeMs: { invitation: INVITATION_LIFETIME_MS, passwordReset: RESET_LIFETIME_MS } }, account.id, 'invitation');
    await repo.audit.append({ at: clock(), actor: CLI_ACTOR, action: 'invitation-created', targetType: 'staff', targetId: account.id, organisationId: organisation.id, details: { roles: ['admin'], delivery: 'printed' } });
    return { staffId: account.id, email, organisationId: organisation.id, organisationCreated, link, expiresAt: now + INVITATION_LIFETIME_MS };
  } finally {
    await storage.close();
  }
}

/** Reads `--email`, `--name`, `--organisation`; throws `CreateAdminError` with the usage on anything else. */
export function parseCreateAdminArgs(argv: readonly string[]): CreateAdminInput {
  const usage = 'usage: npm run create-admin -- --email ana@example.org --name "Ana Silva" --organisation "City of X"';
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: { email: { type: 'string' }, name: { type: 'string' }, organisation: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    throw new CreateAdminError(`${(err as Error).message}\n${usage}`);
  }
  const { email, name, organisation } = values;
  if (typeof email !== 'string' || typeof name !== 'string' || typeof organisation !== 'string') throw new CreateAdminError(usage);
  return { email, name, organisation };
}

export function describeOutcome(outcome: CreateAdminOutcome, organisationName: string): string {
  const organisation = outcome.organisationCreated ? `new organisation "${organisationName}"` : `existing organisation "${organisationName}"`;
  return [
    `create-admin: invited ${outcome.email} as an administrator of the ${organisation}.`,
    `Give this link to them (it works once, until ${new Date(outcome.expiresAt).toISOString()}) to choose a password:`,
    '',
    `  ${outcome.link}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const input = parseCreateAdminArgs(process.argv.slice(2));
  const outcome = await createAdmin(loadConfig(), input);
  process.stdout.write(`${describeOutcome(outcome, input.organisation.trim())}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`create-admin: ${err.message}\n`);
    process.exit(1);
  });
}
