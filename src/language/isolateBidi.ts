/**
 * Unicode directional isolates. Inside right-to-left text, a Latin-script address or a phone number
 * otherwise reorders with its neighbours ("+44 161" can display as "161 44+"). An isolate makes the
 * run lay out on its own, in its own direction, without affecting the rest of the line.
 */
const LRI = '\u2066';
const FSI = '\u2068';
const PDI = '\u2069';

/** Numbers, phone numbers, codes: always left-to-right. */
export function isolateLtr(text: string, rtl: boolean): string {
  return rtl ? `${LRI}${text}${PDI}` : text;
}

/** Names, addresses, URLs of unknown script: direction from their first strong character. */
export function isolateAuto(text: string, rtl: boolean): string {
  return rtl ? `${FSI}${text}${PDI}` : text;
}
