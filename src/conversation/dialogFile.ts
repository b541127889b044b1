import { z } from 'zod';

/** Schema of one file in `dialogs/`. Node ids are global across files so areas can link to each other. */

const nodeId = z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/, 'dotted identifier such as "health.doctor"');
const textKey = z.string().regex(/^[a-zA-Z0-9]+(\.[a-zA-Z0-9]+)+$/, 'dotted text key such as "health.prompt"');

export const DialogAction = z.discriminatedUnion('type', [
  /** Search the directory for a category (a parent category matches its sub-categories). */
  z.object({ type: z.literal('search'), category: z.string().regex(/^[a-z][a-z0-9-]*$/) }).strict(),
  /** Show the region's emergency number and crisis helplines. */
  z.object({ type: z.literal('emergency') }).strict(),
  /** Return to the previous menu. */
  z.object({ type: z.literal('back') }).strict(),
  /** Return to the main menu. */
  z.object({ type: z.literal('menu') }).strict(),
  /** Show the language picker. */
  z.object({ type: z.literal('language') }).strict(),
  /** Ask to confirm, then erase everything kept about this conversation. */
  z.object({ type: z.literal('delete') }).strict(),
  /** "Talk to a person": ask consent, take one message, hand it to caseworkers (redacted, encrypted). */
  z.object({ type: z.literal('escalate'), topic: z.string().regex(/^[a-z][a-z0-9-]*$/) }).strict(),
]);

export const DialogChoice = z.object({ label: textKey, next: nodeId }).strict();

export const DialogNode = z
  .object({
    id: nodeId,
    prompt: textKey,
    choices: z.array(DialogChoice).min(1).max(10).optional(),
    action: DialogAction.optional(),
  })
  .strict()
  .refine((n) => (n.choices === undefined) !== (n.action === undefined), { message: 'a node has either choices or an action, not both or neither' });

export const DialogFile = z
  .object({
    version: z.number().int().positive(),
    area: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    entry: nodeId,
    nodes: z.array(DialogNode).min(1),
  })
  .strict();

export type DialogAction = z.infer<typeof DialogAction>;
export type DialogChoice = z.infer<typeof DialogChoice>;
export type DialogNode = z.infer<typeof DialogNode> & { readonly file: string };
export type DialogFile = z.infer<typeof DialogFile>;

/** All dialog files merged: the engine walks this. */
export interface DialogGraph {
  readonly rootId: string;
  /** Combined version of every file ("menu@1,health@2,…"): stored with the dialog position. */
  readonly version: string;
  readonly nodes: ReadonlyMap<string, DialogNode>;
}

export const ROOT_NODE_ID = 'menu';
