import { createHmac } from 'node:crypto';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from '../../../src/staff/security/totp';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

/** RFC 6238 Appendix B, SHA-1 column (8-digit codes; a 6-digit code is their last 6 digits). */
const RFC_VECTORS: ReadonlyArray<[seconds: number, step: number, code8: string]> = [
  [59, 0x1, '94287082'],
  [1111111109, 0x23523ec, '07081804'],
  [1111111111, 0x23523ed, '14050471'],
  [1234567890, 0x273ef07, '89005924'],
  [2000000000, 0x3f940aa, '69279037'],
  [20000000000, 0x27bc86aa, '65353130'],
];

describe('base32', () => {
  it('encodes per RFC 4648 without padding', () => {
    // RFC 4648 §10 test vectors, padding removed
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('round-trips random bytes and tolerates lower case, spaces and padding', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow();
    expect(() => base32Decode('MZXW8')).toThrow();
  });
});

describe('generateTotpSecret', () => {
  it('makes 160-bit secrets in unpadded base32', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('totpCode', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at T=%is', (seconds, step, code8) => {
    expect(totpStep(seconds * 1000)).toBe(step);
    expect(totpCode(RFC_SECRET, step)).toBe(code8.slice(-6));
  });

  it('keeps leading zeros', () => {
    expect(totpCode(RFC_SECRET, 0x23523ec)).toBe('081804');
  });

  it('is HOTP of the step (RFC 4226 dynamic truncation)', () => {
    const counter = Buffer.alloc(8);
    counter.writeUInt32BE(12345, 4);
    const mac = createHmac('sha1', Buffer.from('12345678901234567890')).update(counter).digest();
    const offset = mac[19]! & 0xf;
    const expected = String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
    expect(totpCode(RFC_SECRET, 12345)).toBe(expected);
  });
});

describe('verifyTotp', () => {
  const now = 1111111111 * 1000;
  const step = totpStep(now);
  const codeAt = (offset: number) => totpCode(RFC_SECRET, step + offset);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(0), now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, '050471', now)).toEqual({ ok: true, step });
  });

  it('accepts one step of clock drift either way, not two', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(1), now)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(-2), now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, codeAt(2), now)).toEqual({ ok: false });
  });

  it('refuses a code whose step was already used (no replay)', () => {
    const first = verifyTotp(RFC_SECRET, codeAt(0), now);
    expect(first).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, codeAt(0), now + 5_000, step)).toEqual({ ok: false });
    // An earlier window's code is refused too once a later one was used.
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now, step)).toEqual({ ok: false });
    // The next window's code is still fine.
    expect(verifyTotp(RFC_SECRET, codeAt(1), now + 30_000, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('tolerates spaces, and only spaces', () => {
    const code = codeAt(0);
    expect(verifyTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, ` ${code}\n`, now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, `${code.slice(0, 3)}-${code.slice(3)}`, now)).toEqual({ ok: false });
  });

  it('refuses non-ASCII digits, wrong lengths and wrong codes', () => {
    const arabicIndic = [...codeAt(0)].map((d) => String.fromCharCode(0x0660 + Number(d))).join('');
    const fullWidth = [...codeAt(0)].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    for (const code of [arabicIndic, fullWidth, '', '12345', '1234567', codeAt(0).slice(0, 5), 'abcdef']) {
      expect(verifyTotp(RFC_SECRET, code, now)).toEqual({ ok: false });
    }
    const accepted = [codeAt(-1), codeAt(0), codeAt(1)];
    const wrong = ['000000', '111111', '222222', '333333'].find((code) => !accepted.includes(code)) ?? '';
    expect(verifyTotp(RFC_SECRET, wrong, now)).toEqual({ ok: false });
  });

  it('copes with the first time step (no negative steps)', () => {
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, 0), 10_000)).toEqual({ ok: true, step: 0 });
  });
});

describe('otpauthUri', () => {
  it('follows the Key Uri Format with the issuer in the label and as a parameter', () => {
    const uri = otpauthUri({ secret: RFC_SECRET, account: 'maria.garcia+cases@ngo.example', issuer: 'Waymark' });
    expect(uri).toBe(
      'otpauth://totp/Waymark:maria.garcia%2Bcases%40ngo.example' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Waymark&algorithm=SHA1&digits=6&period=30',
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe('/Waymark:maria.garcia+cases@ngo.example');
    expect(parsed.searchParams.get('issuer')).toBe('Waymark');
  });

  it('defaults the issuer to Waymark and URL-encodes it', () => {
    expect(otpauthUri({ secret: RFC_SECRET, account: 'a@b.example' })).toMatch(/^otpauth:\/\/totp\/Waymark:a%40b\.example\?secret=/);
    expect(otpauthUri({ secret: RFC_SECRET, account: 'a@b.example', issuer: 'Waymark Soria' })).toContain(
      '/Waymark%20Soria:a%40b.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Waymark%20Soria&',
    );
    expect(() => otpauthUri({ secret: RFC_SECRET, account: 'a@b.example', issuer: 'Way:mark' })).toThrow();
  });
});
