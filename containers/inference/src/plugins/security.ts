import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceConfig } from '../config';

const UNLIMITED = new Set(['/healthz', '/readyz']);

/** Security headers, strict CORS, per-client rate limit and load shedding (503 instead of timeouts when saturated). */
async function security(app: FastifyInstance, opts: { config: ServiceConfig }): Promise<void> {
  const { config } = opts;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  // Only the listed origins may call the API from a browser; none by default (the page is same-origin).
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Health checks come from the load balancer's few addresses and must never be throttled.
    allowList: (request) => UNLIMITED.has(request.url),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit of ${context.max} requests per ${context.after === '1 minute' ? 'minute' : context.after} exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  await app.register(underPressure, {
    maxEventLoopDelay: 1000,
    retryAfter: 5,
    // Health checks are answered even when overloaded, as the rate limit exempts them: the load balancer must not
    // replace a task for being busy (returning nothing lets the request through). The 503 is serialized as plain
    // JSON: a route's own 503 schema (/readyz has one) would not fit it, and the request became a 500.
    pressureHandler: (request, reply, type, value) => {
      if (UNLIMITED.has(request.routeOptions.url ?? '')) return;
      reply
        .code(503)
        .header('Retry-After', '5')
        .serializer(JSON.stringify)
        .send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `the service is overloaded (${type} ${value}); retry in 5 s`,
        });
    },
  });
}

export default fp(security, { name: 'security' });
