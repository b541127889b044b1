/*
 * Strict JSON (RFC 8259: no comments, no trailing commas) parsed with the position of every value, so an import
 * can tell the person who keeps the file the line of each fault (`JSON.parse` only gives values). A fault in the
 * syntax is returned with its line and column rather than thrown. Written here rather than taken from a library:
 * it is small, and the readers need exactly "JSON pointer → offset".
 */

export type JsonParse =
  | {
      ok: true;
      value: unknown;
      /** The offset of the first character of the value at a JSON pointer (`/contents/0/name`, `` for the root); undefined when there is none. */
      offsetOf: (pointer: string) => number | undefined;
      lineOf: (offset: number) => number;
    }
  | { ok: false; line: number; column: number; message: string };

class SyntaxFault extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** 1-based line of each offset, from the offsets at which lines start. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Deeper than any HSDS file nests (about 8 levels); bounds the recursion a hostile file could ask for. */
const MAX_DEPTH = 200;

/** A run of string characters that need no care: not a quote, a backslash or a control character (which JSON forbids raw). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what the run must stop at
const PLAIN = /[^"\\\u0000-\u001f]*/y;

export function parseJsonWithPositions(text: string): JsonParse {
  // Each container's members' offsets, kept beside the value (not as pointer strings: a 20 MB file has millions of values).
  const members = new Map<object, Map<string, number>>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is tolerated
  const rootOffset = i;
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };
  const expect = (what: string) => {
    if (text.startsWith(what, i)) i += what.length;
    else throw new SyntaxFault(i, i >= text.length ? `unexpected end of file: expected ${what}` : `expected ${what} but found ${JSON.stringify(text[i])}`);
  };
  const string = (): string => {
    const start = i;
    expect('"');
    let out = '';
    for (;;) {
      PLAIN.lastIndex = i;
      const run = PLAIN.exec(text);
      if (run && run[0].length) {
        out += run[0];
        i += run[0].length;
      }
      if (i >= text.length) throw new SyntaxFault(start, 'unterminated string');
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxFault(i, 'bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          i += 2;
        } else throw new SyntaxFault(i, `bad escape \\${e}`);
      } else if (c.charCodeAt(0) < 0x20) throw new SyntaxFault(i, 'control character in a string (a line break must be written \\n)');
      else {
        out += c;
        i++;
      }
    }
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new SyntaxFault(i, 'nested too deeply');
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      const at = new Map<string, number>();
      members.set(out, at);
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        space();
        const key = string();
        space();
        expect(':');
        space();
        at.set(key, i);
        const member = value(depth + 1);
        // A "__proto__" key in a file is a plain member, never the prototype (defined, not assigned).
        if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
        else out[key] = member;
        space();
        if (text[i] === ',') i++;
        else {
          expect('}');
          return out;
        }
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      const at = new Map<string, number>();
      members.set(out, at);
      space();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        space();
        at.set(String(out.length), i);
        out.push(value(depth + 1));
        space();
        if (text[i] === ',') i++;
        else {
          expect(']');
          return out;
        }
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      i += m[0].length;
      return Number(m[0]);
    }
    throw new SyntaxFault(i, i >= text.length ? 'unexpected end of file: expected a value' : `expected a value but found ${JSON.stringify(text.slice(i, i + 12))}`);
  };
  const lineOf = lineIndex(text);
  try {
    const root = value(0);
    space();
    if (i < text.length) throw new SyntaxFault(i, `unexpected ${JSON.stringify(text.slice(i, i + 12))} after the end of the JSON value`);
    const offsetOf = (pointer: string): number | undefined => {
      let node: unknown = root;
      let offset: number | undefined = rootOffset;
      for (const raw of pointer.split('/').slice(1)) {
        const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        const at = typeof node === 'object' && node !== null ? members.get(node) : undefined;
        offset = at?.get(token);
        if (offset === undefined) return undefined;
        node = (node as Record<string, unknown>)[token];
      }
      return offset;
    };
    return { ok: true, value: root, offsetOf, lineOf };
  } catch (e) {
    if (!(e instanceof SyntaxFault)) throw e;
    const line = lineOf(e.offset);
    const lineStart = text.lastIndexOf('\n', e.offset - 1) + 1;
    return { ok: false, line, column: e.offset - lineStart + 1, message: e.message };
  }
}
