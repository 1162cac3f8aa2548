import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorResponse } from '../schemas';

/** OpenAPI generated from the route schemas, served at /docs (UI) and /docs/json. */
async function openapi(app: FastifyInstance, opts: { auth: boolean }): Promise<void> {
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'DxOps inference API',
        version: '1',
        description: 'Ranked differential over common and orphan diseases. Decision support, not a diagnosis.',
      },
      components: opts.auth
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } }
        : undefined,
      security: opts.auth ? [{ bearer: [] }] : undefined,
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets element styles at run time; allowed on the documentation pages only, which hold no patient data.
    transformStaticCSP: (header) => header.replace(/style-src ([^;]*)/, "style-src $1 'unsafe-inline'"),
  });
}

export default fp(openapi, { name: 'openapi' });
