import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_URL = '/docs';
/** Where NestJS serves the document by default. */
export const OPENAPI_JSON_URL = '/docs-json';
/** Where this API served it first; kept for the clients that use it. */
export const OPENAPI_URL = '/docs/openapi.json';

/**
 * Swagger UI is a page, not an API answer: it loads its own scripts and styles, and sets inline
 * styles (React's style attributes), and "Try it out" calls this origin. Nothing else is allowed:
 * no inline or foreign script, no framing.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function isDocsPage(path: string): boolean {
  return path === DOCS_URL || (path.startsWith(`${DOCS_URL}/`) && path !== OPENAPI_URL);
}

/** Swagger UI at /docs, and the OpenAPI description of every route at /docs-json and /docs/openapi.json. */
export function serveOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Fractal Goals API')
    .setDescription('Goals broken into fractals, activities, practice sessions and progress; one root goal per tenant.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_URL.slice(1), app, document, { raw: ['json'], jsonDocumentUrl: OPENAPI_JSON_URL, customSiteTitle: 'Fractal Goals API' });
  const json = JSON.stringify(document);
  app.getHttpAdapter().get(OPENAPI_URL, (_request: unknown, reply: { type(t: string): { send(body: string): void } }) => {
    reply.type('application/json').send(json);
  });
  // Helmet gives every answer the API's policy; the UI's own answers get the page's instead.
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    if (isDocsPage(request.url.split('?')[0])) reply.header('content-security-policy', DOCS_CSP);
  });
}
