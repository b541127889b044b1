import { randomUUID } from 'node:crypto';
import { checkReadyMade, renderReadyMade, type ReadyMadeRefusal } from '../../escalation/readyMadeReplies';
import { organisationReplyId, organisationReplyKey } from '../../escalation/organisationReplies';
import { messageBodyContext, type EscalationMessageRecord, type EscalationRecord } from '../../escalation/escalationStore';
import type { StaffAccount } from '../../staff/staffModel';
import { recordBy } from '../../staff/useCases/auditTargets';
import { UUID } from '../../staff/useCases/validation';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import type { ConsoleDeps } from '../consoleDeps';
import { consoleMember, escalationTarget, visibleEscalation } from './consoleAccess';
import { MAX_MESSAGE_LENGTH } from './consoleFacts';

/*
 * MAX_MESSAGE_LENGTH (4,000 characters): WhatsApp refuses a text message over 4,096 characters, and a reply
 * must reach the migrant as the one message the caseworker wrote, with room for an attached service's card.
 * Counted in code points, as a person counts characters, after trimming.
 */

const SERVICE_ID = /^[\w.:-]{1,100}$/;

export type MessageRefusal =
  | 'forbidden'
  | 'not-found'
  /** Closed: reopen it first. Nothing is stored or sent. */
  | 'closed'
  /** Deleted by the person while the caseworker was writing. Nothing is stored or sent. */
  | 'erased'
  | 'empty'
  | 'too-long'
  | 'unknown-ready-made'
  | 'missing-variables'
  /** A ready-made reply's value of the wrong kind (not a phone number, not a date), or one it does not take. */
  | 'invalid-variable'
  /** No such reply among the organisation's own (another organisation's reads the same). Nothing is sent. */
  | 'unknown-organisation-reply'
  /** The organisation's reply has no text in the person's language; no other language is sent in its place. */
  | 'reply-not-in-language'
  | 'unknown-service';

const READY_MADE_REFUSALS: Readonly<Record<ReadyMadeRefusal, MessageRefusal>> = {
  unknownReply: 'unknown-ready-made',
  missingVariable: 'missing-variables',
  unexpectedVariable: 'invalid-variable',
  invalidVariable: 'invalid-variable',
  variableTooLong: 'too-long',
};

export interface ReplyInput {
  /** Free text, as the caseworker wrote it. */
  readonly text?: string;
  /** Or a ready-made reply, rendered in the migrant's language. */
  readonly readyMade?: { readonly key: string; readonly vars: Readonly<Record<string, string>> };
  /** A directory service to attach, rendered as the bot's listing card. */
  readonly serviceId?: string;
}

type Deps = Pick<ConsoleDeps, 'escalations' | 'staff' | 'audit' | 'events' | 'clock' | 'cipher'>;

/**
 * One of the organisation's own replies, in the person's language as it reads NOW: what is sealed and sent is
 * this text, so a later edit or deletion of the reply leaves the sent message as it was.
 */
async function organisationReplyText(deps: Pick<Deps, 'staff'>, member: StaffAccount, escalation: EscalationRecord, replyId: string, vars: Readonly<Record<string, string>>): Promise<Outcome<{ text: string; key: string }, MessageRefusal>> {
  if (Object.values(vars).some((v) => v.trim() !== '')) return refuse('invalid-variable');
  const found = UUID.test(replyId) ? await deps.staff.replies.get(member.organisationId, replyId) : undefined;
  if (!found) return refuse('unknown-organisation-reply');
  const text = found.texts[escalation.locale];
  if (text === undefined) return refuse('reply-not-in-language');
  return succeed({ text, key: organisationReplyKey(found.id) });
}

const length = (text: string) => [...text].length;

function textProblem(text: string): 'empty' | 'too-long' | undefined {
  if (!text) return 'empty';
  return length(text) > MAX_MESSAGE_LENGTH ? 'too-long' : undefined;
}

/** Where an escalation that refused a message went: closed in the meantime, or erased by the person. */
async function whyRefused(deps: Pick<Deps, 'escalations'>, id: string): Promise<'closed' | 'erased'> {
  return (await deps.escalations.get(id)) ? 'closed' : 'erased';
}

/** The escalation a message may be added to, for this person, or why not. */
async function target(deps: Deps, actor: Actor, id: string, requireOpen: boolean): Promise<Outcome<{ member: StaffAccount; escalation: EscalationRecord }, MessageRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const escalation = await visibleEscalation(deps, member, id);
  if (!escalation) return refuse('not-found');
  if (requireOpen && escalation.status !== 'open') return refuse('closed');
  return succeed({ member, escalation });
}

/**
 * A caseworker's reply: free text, or a ready-made reply in the MIGRANT's language (so a caseworker who does not
 * speak Tigrinya still answers a Tigrinya speaker correctly), built-in or the organisation's own, with a directory
 * service's card if attached. Sealed and stored as pending, then the deliverer is woken; delivery itself (channel,
 * WhatsApp window, retries) is the deliverer's. A closed or erased escalation gets nothing: nothing is stored, nothing
 * is sent.
 */
export async function reply(deps: Deps & Pick<ConsoleDeps, 't' | 'serviceCards' | 'deliveries'>, actor: Actor, id: string, input: ReplyInput): Promise<Outcome<{ messageId: string }, MessageRefusal>> {
  const found = await target(deps, actor, id, true);
  if (!found.ok) return found;
  const { member, escalation } = found.value;
  let text: string;
  let readyMadeKey: string | undefined;
  const ownReplyId = input.readyMade ? organisationReplyId(input.readyMade.key) : undefined;
  if (input.readyMade && ownReplyId !== undefined) {
    const own = await organisationReplyText(deps, member, escalation, ownReplyId, input.readyMade.vars);
    if (!own.ok) return own;
    text = own.value.text;
    readyMadeKey = own.value.key;
  } else if (input.readyMade) {
    const checked = checkReadyMade(input.readyMade.key, input.readyMade.vars);
    if (!checked.ok) return refuse(READY_MADE_REFUSALS[checked.refusal]);
    text = renderReadyMade(checked.reply.key, escalation.locale, checked.vars, deps.t).trim();
    readyMadeKey = checked.reply.textKey;
  } else {
    text = (input.text ?? '').trim();
    const problem = textProblem(text);
    if (problem) return refuse(problem);
  }
  let card: string | undefined;
  if (input.serviceId) {
    card = SERVICE_ID.test(input.serviceId) ? await deps.serviceCards(input.serviceId, escalation.locale) : undefined;
    if (!card) return refuse('unknown-service');
  }
  const now = deps.clock();
  const messageId = randomUUID();
  const body = card ? `${text}\n\n${card}` : text;
  const message: EscalationMessageRecord = {
    id: messageId,
    escalationId: escalation.id,
    author: 'staff',
    bodySealed: deps.cipher.seal(body, messageBodyContext(messageId)),
    createdAt: now,
    staffId: member.id,
    ...(readyMadeKey ? { readyMadeKey } : {}),
    ...(input.serviceId ? { serviceId: input.serviceId } : {}),
    delivery: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
  // requireOpen: a resolve or an erase between the check above and this write still refuses the reply.
  if (!(await deps.escalations.appendMessage(message, { requireOpen: true }))) return refuse(await whyRefused(deps, escalation.id));
  await recordBy(deps, actor, {
    action: 'escalation-replied',
    ...escalationTarget(escalation),
    details: { message: messageId, ...(readyMadeKey ? { readyMade: readyMadeKey } : {}), ...(input.serviceId ? { service: input.serviceId } : {}) },
  });
  deps.events.publish({ kind: 'message', escalationId: escalation.id, organisationId: escalation.organisationId });
  deps.deliveries.kick();
  return succeed({ messageId });
}

/** An internal note: sealed like every message, visible to staff only, never delivered. Closed threads take notes too. */
export async function note(deps: Deps, actor: Actor, id: string, rawText: string): Promise<Outcome<{ messageId: string }, MessageRefusal>> {
  const found = await target(deps, actor, id, false);
  if (!found.ok) return found;
  const { member, escalation } = found.value;
  const text = rawText.trim();
  const problem = textProblem(text);
  if (problem) return refuse(problem);
  const messageId = randomUUID();
  const message: EscalationMessageRecord = {
    id: messageId,
    escalationId: escalation.id,
    author: 'note',
    bodySealed: deps.cipher.seal(text, messageBodyContext(messageId)),
    createdAt: deps.clock(),
    staffId: member.id,
  };
  if (!(await deps.escalations.appendMessage(message, { requireOpen: false }))) return refuse('erased');
  await recordBy(deps, actor, { action: 'escalation-noted', ...escalationTarget(escalation), details: { message: messageId } });
  deps.events.publish({ kind: 'message', escalationId: escalation.id, organisationId: escalation.organisationId });
  return succeed({ messageId });
}
