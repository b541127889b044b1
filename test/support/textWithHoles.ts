/** Stands for a value a test cannot know in advance (a reference code, an expected time) inside a translated text. */
export const HOLE = '\u0000';

/** The values of a reply that vary per request: each becomes a hole. */
export const OPENED_HOLES = { reference: HOLE, organisation: HOLE, time: HOLE } as const;

/**
 * Whether `text` contains `template` (a translated text rendered with HOLE for its varying values), each hole
 * matching any non-empty run of text on one line.
 */
export function containsWithHoles(text: string, template: string): boolean {
  const pattern = template
    .split(HOLE)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\n]+?');
  return new RegExp(pattern, 'u').test(text);
}
