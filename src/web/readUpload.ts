import type { NextFunction, Request, Response } from 'express';

/*
 * Uploads for the routes that declare one (WebRoute.upload): a file posted in a plain HTML form
 * (multipart/form-data, so it works without script) or as the whole body of an API request. The body is read up
 * to the route's bound and no further into memory; past it the rest is drained and dropped, and the handler is
 * told the upload was too large so it can say so in the person's language. Form fields before the file (the CSRF
 * token is the form's first field) are kept either way, so the pipeline's CSRF check still runs.
 */

export interface UploadedFile {
  /** The form field's name (`file` for a raw body). */
  readonly field: string;
  /** The name the browser gave, without any folder part; empty for a raw body. */
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface Upload {
  readonly files: readonly UploadedFile[];
  /** The body went past the route's bound: no file is given. */
  readonly tooLarge: boolean;
  readonly bytes: number;
}

export interface UploadRule {
  /** `multipart`: a form with file inputs; `raw`: the request body is the file. */
  readonly kind: 'multipart' | 'raw';
  readonly maxBytes: number;
  /** At most this many files (multipart); more are refused as malformed. */
  readonly maxFiles?: number;
}

const UPLOAD = Symbol('upload');

/** The upload the pipeline read for this request (undefined on routes that declare none). */
export function uploadOf(req: Request): Upload | undefined {
  return (req as unknown as { [UPLOAD]?: Upload })[UPLOAD];
}

/** Middleware reading a declared upload; it marks the body read so the form and JSON parsers leave it. */
export function readUpload(rule: UploadRule) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      // One byte past the bound is enough to know it is too large; the rest is read and dropped.
      if (kept <= rule.maxBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    req.on('error', next);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const tooLarge = seen > rule.maxBytes;
      let fields: Record<string, string> = {};
      let files: UploadedFile[] = [];
      if (rule.kind === 'raw') {
        if (!tooLarge && body.length) files = [{ field: 'file', filename: '', contentType: String(req.headers['content-type'] ?? ''), data: body }];
      } else if (/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) {
        // A form sent without its file (no multipart): its fields still count, and the handler finds no file.
        if (!tooLarge) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) if (v.length <= 4096) fields[k] = v;
      } else {
        const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(req.headers['content-type'] ?? ''));
        const parsed = boundary ? parseMultipart(body, boundary[1] ?? boundary[2] ?? '', rule.maxFiles ?? 20) : { fields: {}, files: [] };
        fields = parsed.fields;
        files = tooLarge ? [] : parsed.files;
      }
      (req as unknown as { _body: boolean })._body = true;
      req.body = fields;
      (req as unknown as { [UPLOAD]?: Upload })[UPLOAD] = { files, tooLarge, bytes: seen };
      next();
    });
  };
}

/**
 * The complete parts of a multipart/form-data body (RFC 7578): text fields and files. A part cut off by the
 * size bound is left out. Field values are bounded (a form's fields are short; the CSRF token is 43 characters).
 */
export function parseMultipart(body: Buffer, boundary: string, maxFiles: number): { fields: Record<string, string>; files: UploadedFile[] } {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  if (!boundary || boundary.length > 200) return { fields, files };
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // A part is CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) {
          if (files.length >= maxFiles) return { fields, files: [] };
          // Browsers send no file as an empty part with an empty name; a folder part of the name is dropped.
          if (filename !== '' || content.length > 0) {
            files.push({ field: name, filename: filename.split(/[\\/]/).pop() ?? '', contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? '', data: Buffer.from(content) });
          }
        } else if (content.length <= 4096) fields[name] = content.toString('utf8');
      }
    }
    at = next;
  }
  return { fields, files };
}
