import { errorFields } from '../../src/logging/errorFields';

describe('errorFields', () => {
  it('keeps the name and the start of the message, never the stack or other fields', () => {
    const err = Object.assign(new TypeError(`bad value ${'x'.repeat(500)}`), { body: { text: 'my address is 12 Secret Road' } });
    const fields = errorFields(err);
    expect(Object.keys(fields).sort()).toEqual(['message', 'name']);
    expect(fields.name).toBe('TypeError');
    expect(fields.message).toHaveLength(200);
    expect(JSON.stringify(fields)).not.toContain('Secret Road');
    expect(JSON.stringify(fields)).not.toContain('at ');
  });

  it('describes thrown values that are not errors', () => {
    expect(errorFields('plain string')).toEqual({ name: 'Error', message: 'plain string' });
    expect(errorFields(undefined)).toEqual({ name: 'Error', message: 'undefined' });
  });
});
