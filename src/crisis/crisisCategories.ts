/**
 * What a message can say that puts a person in danger. Detection reports these and nothing else: no
 * message text, no matched words, leaves the engine.
 */
export const CRISIS_CATEGORIES = ['violence', 'exploitation', 'medical', 'suicide', 'child'] as const;

export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];
