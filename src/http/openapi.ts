import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_URL = '/docs/openapi.json';

/** The OpenAPI description of every route, served as JSON (no UI bundle to ship). */
export function serveOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Fractal Goals API')
    .setDescription('Goals broken into fractals, activities, practice sessions and progress; one root goal per tenant.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'], jsonDocumentUrl: OPENAPI_URL });
}
