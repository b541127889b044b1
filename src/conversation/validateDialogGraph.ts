import type { DialogGraph, DialogNode } from './dialogFile';

export interface DialogValidationContext {
  /** Locales that must hold every text key. */
  readonly locales: readonly string[];
  /** Whether `dialogs:<key>` has a non-empty string in a locale. */
  hasText(locale: string, key: string): boolean;
  /** Directory categories that exist, for search actions. */
  readonly categories?: ReadonlySet<string>;
  /** A prompt's text in a locale, to check it never asks about status (see `findStatusQuestion`). */
  readonly promptText?: (locale: string, key: string) => string;
  readonly findStatusQuestion?: (text: string) => string | undefined;
}

/**
 * Rules a dialog tree must satisfy beyond its schema, each reported with file and node:
 * every `next` exists; every node is reachable from the main menu; every node has a way back to the main
 * menu; every text key exists in every locale; search actions name a known category; no prompt in any
 * locale asks about immigration status, nationality, documents, visas or route of entry.
 *
 * For the way back, the engine adds Back / Main menu to the screens that actions show, but adds nothing
 * to a choice node: the tree itself must offer the way home there.
 */
export function validateDialogGraph(graph: DialogGraph, ctx: DialogValidationContext): string[] {
  const errors: string[] = [];
  const where = (n: DialogNode) => `${n.file}: node "${n.id}"`;

  for (const node of graph.nodes.values()) {
    for (const choice of node.choices ?? []) {
      if (!graph.nodes.has(choice.next)) errors.push(`${where(node)}: choice "${choice.label}" leads to unknown node "${choice.next}"`);
    }
    const labels = (node.choices ?? []).map((c) => c.label);
    if (new Set(labels).size !== labels.length) errors.push(`${where(node)}: two choices share a label`);
    if (node.action?.type === 'search' && ctx.categories && !ctx.categories.has(node.action.category)) {
      errors.push(`${where(node)}: unknown directory category "${node.action.category}"`);
    }
    for (const key of [node.prompt, ...labels]) {
      for (const locale of ctx.locales) {
        if (!ctx.hasText(locale, key)) errors.push(`${where(node)}: text "${key}" missing in locale "${locale}"`);
      }
    }
    // The firewall: no prompt, in any language, may ask about immigration status, documents or origin.
    if (ctx.promptText && ctx.findStatusQuestion) {
      for (const locale of ctx.locales) {
        const term = ctx.findStatusQuestion(ctx.promptText(locale, node.prompt));
        if (term) errors.push(`${where(node)}: prompt "${node.prompt}" in locale "${locale}" mentions "${term}": prompts must never ask about immigration status, nationality, documents, visas or route of entry`);
      }
    }
  }

  const reachable = new Set<string>();
  const queue = [graph.rootId];
  while (queue.length) {
    const id = queue.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const c of graph.nodes.get(id)?.choices ?? []) if (graph.nodes.has(c.next)) queue.push(c.next);
  }
  for (const node of graph.nodes.values()) if (!reachable.has(node.id)) errors.push(`${where(node)}: not reachable from the main menu`);

  // A choice node must offer its own way home: a choice to the main menu, to a back/menu action, or to
  // another choice node that has one. Search and emergency screens get Back / Main menu from the engine.
  const leadsHome = new Set<string>([graph.rootId]);
  for (const node of graph.nodes.values()) if (node.action?.type === 'back' || node.action?.type === 'menu') leadsHome.add(node.id);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of graph.nodes.values()) {
      if (!leadsHome.has(node.id) && (node.choices ?? []).some((c) => leadsHome.has(c.next))) {
        leadsHome.add(node.id);
        grew = true;
      }
    }
  }
  for (const node of graph.nodes.values()) {
    if (node.choices && !leadsHome.has(node.id)) errors.push(`${where(node)}: no way back to the main menu`);
  }
  return errors;
}
