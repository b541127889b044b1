const MESSAGE_LIMIT = 200;

/**
 * What a log line says about an error: its name and the start of its message. Never the stack or the
 * error's own fields, which can carry request data; the cut keeps a long message from becoming a dump.
 */
export function errorFields(err: unknown): { name: string; message: string } {
  const error = err as { name?: unknown; message?: unknown } | undefined;
  return { name: String(error?.name ?? 'Error'), message: String(error?.message ?? err).slice(0, MESSAGE_LIMIT) };
}
