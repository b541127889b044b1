/**
 * A browser-like HTTP client for the staff pages: keeps cookies, follows nothing by itself (tests look at
 * redirects), and posts forms with the CSRF token taken from the last page it loaded.
 */
export interface StaffResponse {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
  readonly headers: Headers;
}

export class StaffClient {
  private readonly cookies = new Map<string, string>();
  private lastCsrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  get csrf(): string | undefined {
    return this.lastCsrf;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<StaffResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form. `_csrf` is added from the last loaded page unless given (pass `_csrf: ''` to omit it). */
  async post(path: string, fields: Record<string, string | readonly string[]> = {}, headers: Record<string, string> = {}): Promise<StaffResponse> {
    const form = new URLSearchParams();
    const withCsrf = '_csrf' in fields ? fields : { ...fields, _csrf: this.lastCsrf ?? '' };
    for (const [k, v] of Object.entries(withCsrf)) {
      if (typeof v === 'string') {
        if (!(k === '_csrf' && v === '')) form.append(k, v);
      } else for (const item of v) form.append(k, item);
    }
    return this.request('POST', path, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  /** Loads a page first (for its CSRF token), then posts the form. */
  async submit(pagePath: string, actionPath: string, fields: Record<string, string | readonly string[]> = {}): Promise<StaffResponse> {
    await this.get(pagePath);
    return this.post(actionPath, fields);
  }

  private async request(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<StaffResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    const res = await fetch(new URL(path, this.baseUrl), { method, body, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = decodeURIComponent(pair.slice(at + 1).trim());
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) this.lastCsrf = csrf;
    return { status: res.status, location: res.headers.get('location') ?? undefined, body: text, headers: res.headers };
  }
}
