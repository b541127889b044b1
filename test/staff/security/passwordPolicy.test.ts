import { checkNewPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../src/staff/security/passwordPolicy';

const person = { email: 'maria.garcia@ngo.example', name: 'María José García' };
const refused = (reason: string) => ({ ok: false, reason });

describe('checkNewPassword', () => {
  it('uses NIST’s limits', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(15);
    expect(MAX_PASSWORD_LENGTH).toBe(128);
  });

  it('accepts long passphrases without any composition rule', () => {
    for (const password of [
      'purple lantern over the river',
      'seventeen quiet giraffes',
      'tortoise ladder velvet',
      'Xk3!qv9#Lm2@pz7',
    ]) {
      expect(checkNewPassword(password, person)).toEqual({ ok: true });
    }
  });

  it('accepts Arabic and emoji passphrases of 15 code points or more', () => {
    const arabic = 'القمر فوق الجبل الأخضر';
    expect(checkNewPassword(arabic, person)).toEqual({ ok: true });
    const emoji = '🐢🌵🚲🎻🍋🐙🌋🎈🦉🧭🪁🍄🛶🎲🦔';
    expect([...emoji]).toHaveLength(15);
    expect(checkNewPassword(emoji, person)).toEqual({ ok: true });
  });

  describe('too-short', () => {
    it('refuses fewer than 15 code points', () => {
      expect(checkNewPassword('', person)).toEqual(refused('too-short'));
      expect(checkNewPassword('purple lantern', person)).toEqual(refused('too-short')); // 14
      expect(checkNewPassword('purple lanterns', person)).toEqual({ ok: true }); // 15
    });

    it('counts code points, not UTF-16 units', () => {
      const eightEmoji = '🐢🌵🚲🎻🍋🐙🌋🎈';
      expect(eightEmoji).toHaveLength(16); // UTF-16 units
      expect(checkNewPassword(eightEmoji, person)).toEqual(refused('too-short'));
      expect(checkNewPassword('قمر فوق الجبل', person)).toEqual(refused('too-short')); // 13
    });

    it('counts after NFKC: an accent that composes counts once, one that does not counts as a code point', () => {
      // 14 letters + U+0301: e + ◌́ composes to é, leaving 14 code points.
      const composing = 'cafe\u0301 on a hill';
      expect([...composing]).toHaveLength(15);
      expect([...composing.normalize('NFKC')]).toHaveLength(14);
      expect(checkNewPassword(composing, person)).toEqual(refused('too-short'));

      // 14 letters + U+0301 after a q: there is no precomposed q́, so it stays 15 code points.
      const combining = 'q\u0301uiet red lake';
      expect([...combining.normalize('NFKC')]).toHaveLength(15);
      expect(checkNewPassword(combining, person)).toEqual({ ok: true });
    });

    it('counts compatibility characters as what they normalise to', () => {
      // The U+FB03 ligature becomes 'ffi': 13 typed code points become 15.
      expect(checkNewPassword('an oﬃcer’s spoon', person)).toEqual({ ok: true });
    });
  });

  describe('too-long', () => {
    it('refuses more than 128 code points', () => {
      const words = 'purple lantern over the river ';
      const atLimit = words.repeat(5).slice(0, 128);
      expect(checkNewPassword(atLimit, person)).toEqual({ ok: true });
      expect(checkNewPassword(`${atLimit}x`, person)).toEqual(refused('too-long'));
      expect(checkNewPassword('🐢🌵🚲🎻'.repeat(33), person)).toEqual(refused('too-long'));
    });
  });

  describe('common', () => {
    it('refuses listed passwords, whatever the case', () => {
      // Entries of 15 or more characters are rare in the bundled list, but exist.
      expect(checkNewPassword('qazwsxedcrfvtgb', person)).toEqual(refused('common'));
      expect(checkNewPassword('QWERTY123456789', person)).toEqual(refused('common'));
      expect(checkNewPassword('Q1W2E3R4T5Y6U7I8O9P0', person)).toEqual(refused('common'));
    });

    it('refuses a listed password repeated', () => {
      expect(checkNewPassword('passwordpassword', person)).toEqual(refused('common'));
      expect(checkNewPassword('DragonDragonDragon', person)).toEqual(refused('common'));
      expect(checkNewPassword('trustno1trustno1', person)).toEqual(refused('common'));
    });

    it('refuses a listed password with digits or symbols appended', () => {
      expect(checkNewPassword('iloveyou12345678', person)).toEqual(refused('common'));
      expect(checkNewPassword('Password1234567!', person)).toEqual(refused('common'));
      expect(checkNewPassword('football2024!!!!', person)).toEqual(refused('common'));
      expect(checkNewPassword('trustno1trustno1999', person)).toEqual(refused('common'));
      expect(checkNewPassword('2024-sunshine-2024', person)).toEqual(refused('common'));
    });

    it('does not refuse a long number just because it starts with a listed one', () => {
      expect(checkNewPassword('837261940572816', person)).toEqual({ ok: true });
      expect(checkNewPassword('123456 907 814 532', person)).toEqual({ ok: true });
    });

    it('does not refuse a passphrase just because it contains a listed word', () => {
      expect(checkNewPassword('my dragon eats sunshine', person)).toEqual({ ok: true });
    });
  });

  describe('context', () => {
    it('refuses the service name with digits or symbols', () => {
      expect(checkNewPassword('Waymark2025!!!!!', person)).toEqual(refused('context'));
      expect(checkNewPassword('waymark-waymark-1', person)).toEqual(refused('context'));
    });

    it('refuses the email’s local part and the person’s names with digits or symbols, even when also listed', () => {
      expect(checkNewPassword('maria.garcia1990', person)).toEqual(refused('context'));
      expect(checkNewPassword('Garcia_1990_2024!', person)).toEqual(refused('context'));
      expect(checkNewPassword('García García 1990', person)).toEqual(refused('context'));
      expect(checkNewPassword('MaríaJosé2024!!!', person)).toEqual(refused('context'));
      const okafor = { email: 'r.okafor@city.example', name: 'Rita Okafor' };
      expect(checkNewPassword('okafor 1987 #4521', okafor)).toEqual(refused('context'));
      expect(checkNewPassword('r.okafor@1987!!!', okafor)).toEqual(refused('context'));
      expect(checkNewPassword('okafor-1987-lagos', okafor)).toEqual({ ok: true });
    });

    it('refuses Arabic name parts too', () => {
      expect(checkNewPassword('فاطمة ١٩٩٠ ٢٠٢٤ !!', { name: 'فاطمة الزهراء' })).toEqual(refused('context'));
    });

    it('ignores name parts shorter than 4 letters and accepts passphrases that merely include a name', () => {
      expect(checkNewPassword('ama ama 1990 2024!', { name: 'Ama Owusu' })).toEqual({ ok: true });
      expect(checkNewPassword('owusu 1990 2024!!', { name: 'Ama Owusu' })).toEqual(refused('context'));
      expect(checkNewPassword('maria grows tomatoes on the roof', person)).toEqual({ ok: true });
    });
  });

  describe('repetitive', () => {
    it('refuses repeated characters and short repeated patterns', () => {
      expect(checkNewPassword('aaaaaaaaaaaaaaa', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('AAAAAAAAAAAAAAA1', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('abababababababab', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('xyzxyzxyzxyzxyz', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀', person)).toEqual(refused('repetitive'));
    });

    it('refuses sequences', () => {
      expect(checkNewPassword('123456789012345', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('abcdefghijklmno', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('ONMLKJIHGFEDCBA', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('987654321098765', person)).toEqual(refused('repetitive'));
      expect(checkNewPassword('abcdefgh12345678', person)).toEqual(refused('repetitive'));
    });
  });
});
