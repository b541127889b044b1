import { randomUUID } from 'node:crypto';
import { checkOrganisationReply, ORGANISATION_REPLIES_MAX, organisationReplyKey, type OrganisationReplyInput, type OrganisationReplyRefusal } from '../../escalation/organisationReplies';
import type { Organisation, OrganisationReply } from '../../staff/staffModel';
import { recordBy } from '../../staff/useCases/auditTargets';
import { mayActWithin, refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import { UUID } from '../../staff/useCases/validation';
import type { ConsoleDeps } from '../consoleDeps';

/*
 * The editor of an organisation's own ready-made replies: its supervisors keep them (they run the team that
 * sends them), and admins, who run the deployment, may too. Caseworkers only send them (thread.ts, messages.ts).
 * Every change is in the audit log with the reply's id and its languages, not its words.
 */

/** Who keeps an organisation's replies, besides admins. */
export const REPLY_EDITOR_ROLES = ['supervisor'] as const;

export type ReplyEditorRefusal = 'forbidden' | 'not-found' | 'tooMany' | OrganisationReplyRefusal;

type Deps = Pick<ConsoleDeps, 'staff' | 'audit' | 'clock' | 'chatLanguages'>;

const replyTarget = (reply: Pick<OrganisationReply, 'id' | 'organisationId'>) => ({ targetType: 'ready-made-reply', targetId: reply.id, organisationId: reply.organisationId }) as const;

/** The organisation whose replies this person may edit; another organisation's reads as forbidden, an unknown one as not found. */
async function editable(deps: Pick<Deps, 'staff'>, actor: Actor, organisationId: string): Promise<Outcome<Organisation, 'forbidden' | 'not-found'>> {
  if (!UUID.test(organisationId)) return refuse('not-found');
  if (!mayActWithin(actor, organisationId, [...REPLY_EDITOR_ROLES])) return refuse('forbidden');
  const organisation = await deps.staff.organisations.get(organisationId);
  return organisation ? succeed(organisation) : refuse('not-found');
}

export interface ReplyList {
  readonly organisation: Organisation;
  readonly replies: readonly OrganisationReply[];
  /** Whether another may be added (ORGANISATION_REPLIES_MAX). */
  readonly full: boolean;
}

export async function listOrganisationReplies(deps: Pick<Deps, 'staff'>, actor: Actor, organisationId: string): Promise<Outcome<ReplyList, 'forbidden' | 'not-found'>> {
  const organisation = await editable(deps, actor, organisationId);
  if (!organisation.ok) return organisation;
  const replies = await deps.staff.replies.list(organisationId);
  return succeed({ organisation: organisation.value, replies, full: replies.length >= ORGANISATION_REPLIES_MAX });
}

/** One reply of the organisation, for its edit form; another organisation's reply reads as not found. */
export async function findOrganisationReply(deps: Pick<Deps, 'staff'>, actor: Actor, organisationId: string, id: string): Promise<Outcome<{ organisation: Organisation; reply: OrganisationReply }, 'forbidden' | 'not-found'>> {
  const organisation = await editable(deps, actor, organisationId);
  if (!organisation.ok) return organisation;
  const reply = UUID.test(id) ? await deps.staff.replies.get(organisationId, id) : undefined;
  return reply ? succeed({ organisation: organisation.value, reply }) : refuse('not-found');
}

const codes = (deps: Pick<Deps, 'chatLanguages'>) => deps.chatLanguages.map((l) => l.code);

export async function createOrganisationReply(deps: Deps, actor: Actor, organisationId: string, input: OrganisationReplyInput): Promise<Outcome<{ id: string }, ReplyEditorRefusal>> {
  const organisation = await editable(deps, actor, organisationId);
  if (!organisation.ok) return organisation;
  const checked = checkOrganisationReply(input, codes(deps));
  if (!checked.ok) return refuse(checked.refusal);
  if ((await deps.staff.replies.count(organisationId)) >= ORGANISATION_REPLIES_MAX) return refuse('tooMany');
  const now = deps.clock();
  const reply: OrganisationReply = { id: randomUUID(), organisationId, label: checked.label, texts: checked.texts, createdAt: now, updatedAt: now };
  await deps.staff.replies.create(reply);
  await recordBy(deps, actor, { action: 'ready-made-reply-created', ...replyTarget(reply), details: { key: organisationReplyKey(reply.id), locales: Object.keys(reply.texts) } });
  return succeed({ id: reply.id });
}

const sameTexts = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([locale, text]) => b[locale] === text);

/**
 * Replaces the label and the texts (a language emptied loses its text). Messages already sent keep the words they
 * were sent with: each is its own sealed copy.
 */
export async function updateOrganisationReply(deps: Deps, actor: Actor, organisationId: string, id: string, input: OrganisationReplyInput): Promise<Outcome<{ changed: boolean }, ReplyEditorRefusal>> {
  const found = await findOrganisationReply(deps, actor, organisationId, id);
  if (!found.ok) return found;
  const checked = checkOrganisationReply(input, codes(deps));
  if (!checked.ok) return refuse(checked.refusal);
  const { reply } = found.value;
  if (reply.label === checked.label && sameTexts(reply.texts, checked.texts)) return succeed({ changed: false });
  if (!(await deps.staff.replies.update(organisationId, id, { label: checked.label, texts: checked.texts, updatedAt: deps.clock() }))) return refuse('not-found');
  await recordBy(deps, actor, { action: 'ready-made-reply-updated', ...replyTarget(reply), details: { key: organisationReplyKey(reply.id), locales: Object.keys(checked.texts) } });
  return succeed({ changed: true });
}

export async function deleteOrganisationReply(deps: Deps, actor: Actor, organisationId: string, id: string): Promise<Outcome<void, 'forbidden' | 'not-found'>> {
  const found = await findOrganisationReply(deps, actor, organisationId, id);
  if (!found.ok) return found;
  if (!(await deps.staff.replies.delete(organisationId, id))) return refuse('not-found');
  await recordBy(deps, actor, { action: 'ready-made-reply-deleted', ...replyTarget(found.value.reply), details: { key: organisationReplyKey(id) } });
  return succeed(undefined);
}
