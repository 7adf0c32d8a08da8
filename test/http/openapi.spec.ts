import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { API_CSP } from '../../src/http/hygiene';
import { DOCS_CSP, DOCS_URL, OPENAPI_JSON_URL, OPENAPI_URL } from '../../src/http/openapi';
import { createMigratedDatabase } from '../helpers/db';

/** A policy as {directive: values}: helmet joins directives with ';', the docs policy with '; '. */
const directives = (policy: unknown) =>
  Object.fromEntries(String(policy).split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('OpenAPI document and Swagger UI', () => {
  let app: NestFastifyApplication;
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, openApi: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it.each([OPENAPI_JSON_URL, OPENAPI_URL])('%s describes the routes, without a token, as an API answer', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.info.title).toBe('Fractal Goals API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/roots', '/api/roots/{rootId}', '/api/auth/login', '/api/admin/db/status']));
    expect(directives(res.headers['content-security-policy'])).toEqual(directives(API_CSP));
  });

  it('serves the same document at both addresses', async () => {
    expect((await get(OPENAPI_URL)).json()).toEqual((await get(OPENAPI_JSON_URL)).json());
  });

  it.each([DOCS_URL, `${DOCS_URL}/`])('%s is Swagger UI, and every script, style and icon it names loads, under the page policy', async (url) => {
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="swagger-ui">');
    expect(directives(page.headers['content-security-policy'])).toEqual(directives(DOCS_CSP));

    // The page's own references, resolved as a browser would against the page's address.
    const refs = [...page.body.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]).filter((r) => !r.startsWith('http') && !r.startsWith('#'));
    const assets = refs.map((r) => new URL(r, `http://localhost${url}`).pathname);
    expect(assets).toEqual(
      expect.arrayContaining([
        `${DOCS_URL}/swagger-ui.css`,
        `${DOCS_URL}/swagger-ui-bundle.js`,
        `${DOCS_URL}/swagger-ui-standalone-preset.js`,
        `${DOCS_URL}/swagger-ui-init.js`,
      ]),
    );
    for (const asset of assets) {
      const res = await get(asset);
      const type = asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /^text\/css/ : asset.endsWith('.png') ? /^image\/png/ : /./;
      expect({ asset, status: res.statusCode, type: type.test(String(res.headers['content-type'])), csp: directives(res.headers['content-security-policy']) }).toEqual({
        asset,
        status: 200,
        type: true,
        csp: directives(DOCS_CSP),
      });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('the UI starts with this API description', async () => {
    const init = await get(`${DOCS_URL}/swagger-ui-init.js`);
    expect(init.body).toContain('"title": "Fractal Goals API"');
    expect(init.body).toContain('/api/roots/{rootId}');
  });

  it("the page policy allows what the page loads (its own scripts and styles, inline styles), and nothing foreign", async () => {
    const policy = directives((await get(DOCS_URL)).headers['content-security-policy']);
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    // The page has no inline script for the policy to refuse: only <script src=...>.
    const page = (await get(DOCS_URL)).body;
    expect([...page.matchAll(/<script([^>]*)>/g)].every((m) => /\bsrc=/.test(m[1]))).toBe(true);
  });

  it('API answers keep the strict policy beside the UI', async () => {
    for (const url of ['/health', '/api/auth/me', '/api/roots', '/nope', `${DOCS_URL}-nope`]) {
      const res = await get(url);
      expect({ url, csp: directives(res.headers['content-security-policy']) }).toEqual({ url, csp: directives(API_CSP) });
    }
  });
});
