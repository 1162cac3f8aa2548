import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { ServiceConfig } from './config';
import auth from './plugins/auth';
import errorHandler from './plugins/error-handler';
import openapi from './plugins/openapi';
import security from './plugins/security';
import services, { type ServicesOptions } from './plugins/services';
import catalog from './routes/catalog';
import diagnoses from './routes/diagnoses';
import feedback from './routes/feedback';
import health from './routes/health';

export interface AppOptions extends Omit<ServicesOptions, 'config'> {
  readonly logger?: FastifyServerOptions['logger'];
  /** Directory of the clinician page; beside `src/` in the repo, beside the bundle in the image. */
  readonly publicDir?: string;
}

/** The request URL without its query string: a type-ahead query is free text and must not reach the logs. */
function logSafeRequest(request: { method: string; url: string; id: string }) {
  return { method: request.method, url: request.url.split('?')[0], requestId: request.id };
}

export async function buildApp(config: ServiceConfig, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel, serializers: { req: logSafeRequest } },
    bodyLimit: config.bodyLimitBytes,
    // The request id is ours (a UUID): a client-sent header could carry a patient identifier into the audit log.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // One access-log line per request (onResponse below) instead of Fastify's two: logging is a visible share of the
    // per-request cost under load.
    logController: new LogController({ disableRequestLogging: true }),
    // The load balancer closes idle connections after 60 s; keep ours open longer so it never hits a closed one.
    keepAliveTimeout: 72_000,
    requestTimeout: 10_000,
    connectionTimeout: 10_000,
    trustProxy: config.host !== '127.0.0.1',
    // Unknown fields are refused (additionalProperties: false), never silently dropped; query strings are coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  // Callback hooks rather than async ones: every request runs them, and each async hook costs a promise and a tick.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request completed',
    );
    done();
  });
  await app.register(errorHandler);
  await app.register(security, { config });
  await app.register(openapi, { auth: config.auth !== undefined });
  await app.register(services, { config, emfSink: opts.emfSink, locator: opts.locator });
  await app.register(auth, { auth: config.auth });
  await app.register(health);
  await app.register(diagnoses);
  await app.register(catalog);
  await app.register(feedback);
  await app.register(fastifyStatic, {
    root: opts.publicDir ?? join(__dirname, '..', 'public'),
    prefix: '/',
    index: 'index.html',
    schemaHide: true,
  });
  return app;
}
