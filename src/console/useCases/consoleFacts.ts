import type { EscalationRecord } from '../../escalation/escalationStore';

/*
 * Pure facts the queue and the thread show about an escalation, from the record and the time: no I/O, so the
 * pages, the JSON API and the tests compute them alike.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** WhatsApp lets a business write freely for 24 hours after the person's last message; then only templates. */
export const WHATSAPP_WINDOW_MS = DAY_MS;
const WHATSAPP_CHANNEL = 'whatsapp';

/** The first answer's deadline: `met` once answered in time, `breached` when answered late or still unanswered past it. */
export type SlaState = 'due' | 'breached' | 'met';

export function slaState(e: Pick<EscalationRecord, 'dueAt' | 'firstResponseAt'>, now: number): SlaState {
  if (e.firstResponseAt !== undefined) return e.firstResponseAt <= e.dueAt ? 'met' : 'breached';
  return now > e.dueAt ? 'breached' : 'due';
}

/** `open`/`closed` on WhatsApp; not applicable (undefined) on channels that can always be written to. */
export function whatsAppWindow(e: Pick<EscalationRecord, 'channel' | 'lastInboundAt'>, now: number): 'open' | 'closed' | undefined {
  if (e.channel !== WHATSAPP_CHANNEL) return undefined;
  return now - e.lastInboundAt < WHATSAPP_WINDOW_MS ? 'open' : 'closed';
}

/** How long the person has waited: since they asked, until it was closed. */
export function waitingMs(e: Pick<EscalationRecord, 'createdAt' | 'closedAt'>, now: number): number {
  return Math.max(0, (e.closedAt ?? now) - e.createdAt);
}

const displayNames = new Map<string, Intl.DisplayNames | undefined>();

/** A language's name in the reader's language ("Tigrinya", "tigriña", "التغرينية"); the code if unknown. */
export function languageName(code: string, readerLocale: string): string {
  if (!displayNames.has(readerLocale)) {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([readerLocale, 'en'], { type: 'language', fallback: 'code' });
    } catch {
      names = undefined;
    }
    displayNames.set(readerLocale, names);
  }
  try {
    return displayNames.get(readerLocale)?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Longest reply or note a caseworker may send (see MAX_MESSAGE_LENGTH's note in messages.ts). */
export const MAX_MESSAGE_LENGTH = 4_000;
