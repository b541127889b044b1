import type { Redactor } from '../../src/privacy/redaction/RedactionPort';
import { applyRedactions } from '../../src/privacy/redaction/redactText';

/**
 * The promises every `Redactor` keeps, whichever engines are behind it. Run against each adapter.
 */
export function describeRedactorContract(name: string, makeRedactor: () => Redactor | Promise<Redactor>): void {
  describe(`${name} (Redactor contract)`, () => {
    it('redacts identifiers and status disclosures before anything else sees the text', async () => {
      const redactor = await makeRedactor();
      const text = 'me llamo Ana Ruiz. No tengo papeles. Mi número es 612 34 56 78';
      const result = await redactor.redact(text, 'es');
      for (const fragment of ['Ana Ruiz', 'No tengo papeles', '612 34 56 78']) expect(result.text).not.toContain(fragment);
    });

    it('reports findings that reproduce the stored text from the input', async () => {
      const redactor = await makeRedactor();
      const text = 'call 07911 123456, I overstayed my visa';
      const result = await redactor.redact(text, 'en');
      expect(applyRedactions(text, result.findings)).toBe(result.text);
      expect(['offline', 'offline+azure']).toContain(result.path);
    });

    it('resolves for any locale, including none', async () => {
      const redactor = await makeRedactor();
      await expect(redactor.redact('ስሜ አበበ ነው', 'ti')).resolves.toMatchObject({ text: 'ስሜ [redacted:name] ነው' });
      await expect(redactor.redact('hello')).resolves.toMatchObject({ text: 'hello' });
    });
  });
}
