import type { StaffClient } from '../support/StaffClient';

/** Calls the JSON API as the signed-in person of `client`: session cookie, and the CSRF token as a header on POST. */
export async function api(client: StaffClient, method: 'GET' | 'POST', path: string, body?: unknown, options: { csrf?: boolean } = {}): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const session = client.cookie('wm_staff');
  const headers: Record<string, string> = { accept: 'application/json', ...(session ? { cookie: `wm_staff=${encodeURIComponent(session)}` } : {}) };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    if (options.csrf !== false) {
      // The token of the session as it is now (the one a page loaded before signing in was the visitor's).
      await client.get('/staff');
      headers['x-csrf-token'] = client.csrf ?? '';
    }
  }
  const res = await fetch(new URL(path, client.baseUrl), { method, headers, body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body), redirect: 'manual' });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Where each of `needles` first appears in `haystack` (-1 when absent). */
export const positions = (haystack: string, needles: readonly string[]): number[] => needles.map((n) => haystack.indexOf(n));
