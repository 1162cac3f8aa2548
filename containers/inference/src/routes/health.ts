import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../schemas';

const Health = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  modelVersion: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

export default async function health(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness: the process answers', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: a verified, warmed-up model is being served',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const status = app.dx.models.status;
      if (status.ready) return { status: 'ready' as const, modelVersion: status.modelVersion };
      return reply.code(503).send({ status: 'not ready', reason: status.lastError ?? 'the model is loading' });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary:
          'Prometheus metrics: latency, predictions by category, specialist-review rate, model version, drift PSI',
        // Prometheus text exposition, not JSON: declared so the OpenAPI document says what a scraper receives.
        response: {
          200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: Type.String() } } },
          // 503: unlike the health checks, a scrape is shed when the service is overloaded (plugins/security.ts)
          ...errors(401, 429, 503),
        },
      },
    },
    async (_request, reply) => {
      reply.type(app.dx.metrics.registry.contentType);
      return app.dx.metrics.registry.metrics();
    },
  );
}
