import { staffWebModules } from '../../src/staff/createStaffWeb';
import { openApiDocument } from '../../src/staff/http/apiDocs';
import type { StaffWebDeps } from '../../src/staff/http/StaffWebDeps';
import { startStaffServer, type StaffFixture } from '../support/startStaffServer';

/**
 * The OpenAPI document against the real route list: every /api/v1 route of every module is documented with its
 * method, and every documented operation is a registered route. An undocumented route fails here.
 */

const API_PREFIX = '/api/v1/';
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function apiRoutes(): string[] {
  const deps = { areas: [], linkLifetimeMs: { invitation: 1, passwordReset: 1 }, publicUrl: 'http://localhost', production: false, clock: Date.now } as unknown as StaffWebDeps;
  return staffWebModules(deps)
    .flatMap((m) => m.routes)
    .filter((r) => r.path.startsWith(API_PREFIX))
    .map((r) => `${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`)
    .sort();
}

function documentedOperations(): string[] {
  const doc = openApiDocument('http://localhost');
  return Object.entries(doc.paths as unknown as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe('the OpenAPI document', () => {
  it('documents every /api/v1 route, and nothing that is not one', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(5);
    expect(routes).toContain('GET /api/v1/token');
    expect(documentedOperations()).toEqual(routes);
  });

  it('would notice an undocumented route', () => {
    const documented = new Set(documentedOperations());
    expect(documented.has('POST /api/v1/escalations/{id}/claim')).toBe(true);
    expect(documented.has('POST /api/v1/escalations/{id}/escalate')).toBe(false);
  });

  it('is OpenAPI 3.1 with every path parameter declared and every schema reference resolvable', () => {
    const doc = openApiDocument('http://localhost');
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(doc.paths as unknown as Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses?: unknown }>>)) {
      for (const [method, op] of Object.entries(item)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect([path, method, declared]).toEqual([path, method, inPath]);
        expect(op.responses).toBeDefined();
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect([name, name in doc.components.schemas]).toEqual([name, true]);
  });

  describe('over HTTP', () => {
    let f: StaffFixture;
    beforeAll(async () => {
      f = await startStaffServer();
    });
    afterAll(async () => {
      await f?.stop();
    });

    it('is served at /api/docs as JSON to anyone', async () => {
      const res = await fetch(new URL('/api/docs', f.running.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/api/v1/escalations/{id}/replies');
    });
  });
});
