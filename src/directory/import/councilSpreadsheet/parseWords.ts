/** Yes/no cells, in the words council sheets use. Undefined: not a yes or no word. */
export function parseYesNo(cell: string): boolean | undefined {
  const t = cell.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'x'].includes(t)) return true;
  if (['no', 'n', 'false', '0'].includes(t)) return false;
  return undefined;
}

/**
 * "Documents required": the model's `none` | `some` | `unknown`, or yes/no words (yes → some, no → none).
 * An empty cell is `unknown`: nobody has said, which is never read as "no papers needed".
 */
export function parseDocumentsRequired(cell: string): 'none' | 'some' | 'unknown' | undefined {
  const t = cell.trim().toLowerCase();
  if (t === '' || t === 'unknown' || t === "don't know" || t === 'not known') return 'unknown';
  if (t === 'none' || t === 'some') return t;
  const yn = parseYesNo(t);
  return yn === undefined ? undefined : yn ? 'some' : 'none';
}
