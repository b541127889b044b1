import type { ConversationState } from './conversationState';
import type { DialogGraph } from './dialogFile';
import type { EngineContext } from './turnContextData';

/** The topic of a request for a person: the dialog area it is asked from; `general` from the main menu or a crisis. */
export function escalationTopicOf(state: ConversationState, ctx: EngineContext): string {
  const action = ctx.graph.nodes.get(state.nodeId)?.action;
  return action?.type === 'escalate' ? action.topic : 'general';
}

/**
 * The directory categories whose services can help with a topic when no caseworker can: the searches of the
 * dialog area the topic's "talk to a person" lives in (housing → shelter, find housing, tenancy advice). A topic
 * with no searches of its own (`general`, asked from the main menu) gets every search the dialogs offer.
 */
export function categoriesForTopic(graph: DialogGraph, topic: string): string[] {
  const files = new Set<string>();
  for (const node of graph.nodes.values()) if (node.action?.type === 'escalate' && node.action.topic === topic) files.add(node.file);
  const inArea = new Set<string>();
  const everywhere = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (node.action?.type !== 'search') continue;
    everywhere.add(node.action.category);
    if (files.has(node.file)) inArea.add(node.action.category);
  }
  return [...(inArea.size > 0 ? inArea : everywhere)];
}
