import fs from 'node:fs';
import type { z } from 'zod';

/**
 * A JSON data file, validated: the data, or one line naming the file and the first problem (unreadable,
 * not JSON, or the path of the first field that breaks the schema). Data files are checked at start, so a
 * bad deploy stops with that line.
 */
export function readDataFile<T extends z.ZodType>(file: string, schema: T): { ok: true; data: z.infer<T> } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, problem: `${file}: ${(err as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}` };
}
