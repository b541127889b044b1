import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** A front-end file held in memory with its compressed forms, made once at start-up. */
export interface WebChatAsset {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly brotli: Buffer;
}

export type WebChatAssets = ReadonlyMap<'page' | 'app.js' | 'app.css' | 'embed.js', WebChatAsset>;

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' } as const;

/**
 * Reads the page, script, style sheet and embed snippet from `dir` and compresses them (brotli and gzip, so
 * a phone on 2G/3G downloads a few kilobytes). The page links its script and style sheet with a content hash,
 * so those can be cached for a long time and a new release is still picked up at once. The page itself is
 * never cached (`no-store`): nothing of the chat should stay on a shared or checked phone.
 */
export function loadWebChatAssets(dir: string, page: { readonly quickExitUrl: string }): WebChatAssets {
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('base64url').slice(0, 12);
  const js = read('app.js');
  const css = read('app.css');
  const html = read('index.html')
    .toString('utf8')
    .replace('/webchat/app.js"', `/webchat/app.js?v=${hash(js)}"`)
    .replace('/webchat/app.css"', `/webchat/app.css?v=${hash(css)}"`)
    // The quick exit is a real link, so it works before the script has loaded (or without it).
    .replace('href="QUICK_EXIT_URL"', `href="${escapeAttribute(page.quickExitUrl)}"`);
  return new Map([
    ['page', compress(Buffer.from(html, 'utf8'), TYPES['.html'], 'no-store')],
    ['app.js', compress(js, TYPES['.js'], 'public, max-age=604800')],
    ['app.css', compress(css, TYPES['.css'], 'public, max-age=604800')],
    // Linked by other sites under a fixed URL: cached briefly so a fix reaches them the same day.
    ['embed.js', compress(read('embed.js'), TYPES['.js'], 'public, max-age=3600')],
  ]);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function compress(identity: Buffer, contentType: string, cacheControl: string): WebChatAsset {
  return {
    contentType,
    cacheControl,
    identity,
    gzip: zlib.gzipSync(identity, { level: 9 }),
    brotli: zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  };
}

/** The body and encoding to send for an `Accept-Encoding` header (brotli, else gzip, else as is). */
export function pickEncoding(asset: WebChatAsset, acceptEncoding: string | undefined): { body: Buffer; encoding?: 'br' | 'gzip' } {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q\s*=\s*0(\.0*)?\s*$/.test(q))
      .map(([name]) => (name ?? '').trim().toLowerCase()),
  );
  if (accepted.has('br')) return { body: asset.brotli, encoding: 'br' };
  if (accepted.has('gzip')) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.identity };
}
