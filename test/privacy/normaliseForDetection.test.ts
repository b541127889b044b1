import { toOriginalRange } from '../../src/privacy/redaction/MappedText';
import { foldTerm, normaliseForDetection } from '../../src/privacy/redaction/normaliseForDetection';

describe('normaliseForDetection', () => {
  it('maps digits of other scripts to ASCII one for one', () => {
    expect(normaliseForDetection('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ०१२३४५६७८९ ০১২৩৪৫৬৭৮৯ ၀၁၂၃၄၅၆၇၈၉ ０１２３').plain.text).toBe(
      '0123456789 0123456789 0123456789 0123456789 0123456789 0123',
    );
  });

  it('drops zero-width and bidi characters but maps the surrounding text back to the original', () => {
    const original = 'id A1\u200B23\u2060456\uFEFF789 \u202Bok\u202C';
    const { plain } = normaliseForDetection(original);
    expect(plain.text).toBe('id A123456789 ok');
    const start = plain.text.indexOf('A');
    const range = toOriginalRange(plain, start, start + 'A123456789'.length);
    expect(original.slice(range?.start, range?.end)).toBe('A1\u200B23\u2060456\uFEFF789');
  });

  it('keeps offsets exact when NFKC expands a character', () => {
    const original = 'ﬁle ＡＢ１２３';
    const { plain } = normaliseForDetection(original);
    expect(plain.text).toBe('file AB123');
    const at = plain.text.indexOf('AB');
    const range = toOriginalRange(plain, at, at + 5);
    expect(original.slice(range?.start, range?.end)).toBe('ＡＢ１２３');
  });

  it('folds case, accents and Arabic letter variants for word lists', () => {
    expect(normaliseForDetection('Déportée SIN PAPELES').folded.text).toBe('deportee sin papeles');
    expect(foldTerm('تأشيرة')).toBe(foldTerm('تاشيره'));
    expect(foldTerm('ویزای')).toBe(foldTerm('ويزاي'));
    expect(foldTerm('Kaçak sığınmacı')).toBe('kacak siginmaci');
    expect(foldTerm('Nguyễn Văn Đạt')).toBe('nguyen van dat');
  });
});
