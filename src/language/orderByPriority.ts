/** The deployment's priority languages first, in the order given, then the rest in languages.json order. */
export function orderByPriority<T extends { code: string }>(list: readonly T[], priority: readonly string[]): T[] {
  const rank = (code: string) => {
    const i = priority.indexOf(code);
    return i < 0 ? priority.length : i;
  };
  return [...list].sort((a, b) => rank(a.code) - rank(b.code));
}
