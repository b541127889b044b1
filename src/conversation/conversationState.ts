import { z } from 'zod';

/**
 * What the bot keeps about a conversation, and nothing more: the language, where the user is in the
 * dialog (and which dialog version that position belongs to), the town chosen to sort results, and when it
 * last changed. No message text, no identifiers. Versioned so a stored state from an older release is
 * recognised and reset rather than misread.
 */
const MODES = [
  'language',
  'confirmLanguage',
  'node',
  'town',
  'results',
  'contacts',
  'confirmDelete',
  'escalateConsent',
  'escalateMessage',
  'escalateUnavailable',
  'thread',
  'confirmClose',
  'crisis',
] as const;
export type ConversationMode = (typeof MODES)[number];

export const ConversationState = z
  .object({
    v: z.literal(1),
    locale: z.string().regex(/^[a-z]{2,3}$/),
    dialogVersion: z.string(),
    /** language: picking a language; node: at a choice node; town: asking for a town before a search;
     *  results: showing search results; contacts: showing emergency contacts; confirmDelete: asking
     *  whether to erase everything; escalateConsent: asking whether a message for a caseworker may be kept;
     *  escalateMessage: waiting for that message; crisis: showing emergency numbers after a message that said
     *  the person is in danger. */
    mode: z.enum(MODES),
    /** The screen a crisis interrupted, to go back to it ("back to where I was"). */
    crisisFrom: z.enum(MODES).exclude(['crisis']).optional(),
    /** When emergency numbers were last shown (a later crisis message gets the short version); never why. */
    crisisAt: z.number().int().optional(),
    /** The escalation being asked for is urgent (offered from the emergency screen). */
    urgent: z.literal(true).optional(),
    /** Which page of the language picker is shown (channels limit a list to 10 options). */
    languagePage: z.number().int().min(0).max(10).optional(),
    nodeId: z.string(),
    /** Choice nodes visited before `nodeId`, for "back". */
    trail: z.array(z.string()).max(20),
    /** Gazetteer town id, or "anywhere"; coarse by design (never coordinates). */
    town: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,40}$/, 'a gazetteer town id')
      .optional(),
    /**
     * The page of results on screen; `hours` when it shows the week's opening hours ("When is it open?");
     * `openNow` / `noDocuments` when the person narrowed the search to services open now / needing no papers.
     */
    results: z
      .object({
        offset: z.number().int().min(0),
        total: z.number().int().min(0),
        hours: z.literal(true).optional(),
        openNow: z.literal(true).optional(),
        noDocuments: z.literal(true).optional(),
      })
      .strict()
      .optional(),
    /** When the privacy notice was shown (it is shown once, in the chosen language). */
    noticeAt: z.number().int().optional(),
    /**
     * The open escalation this conversation writes to (its id, a random UUID): never its reference code, which
     * would let anyone holding the state read the replies, and never any text.
     */
    escalation: z.string().uuid().optional(),
    /** When the user last agreed that a message for a caseworker may be kept (a consent flag, not the message). */
    consentAt: z.number().int().optional(),
    updatedAt: z.number().int(),
  })
  .strict();

export type ConversationState = z.infer<typeof ConversationState>;

export const TRAIL_LIMIT = 20;
export const RESULTS_PAGE_SIZE = 3;
/** Languages per picker page; with "More languages" a page stays within WhatsApp's 10-row list limit. */
export const LANGUAGES_PER_PAGE = 9;
