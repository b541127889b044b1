import fs from 'node:fs';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  /** The selectors of the offending elements. */
  readonly nodes: string[];
}

/** Injects axe-core into the page (its context needs `bypassCSP`) and returns the accessibility violations found. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core'), 'utf8') });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
