import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import AjvCompiler from '@fastify/ajv-compiler';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifySchemaCompiler,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { clientErrorHandler } from './client-errors';
import type { ServiceConfig } from './config';
import auth from './plugins/auth';
import errorHandler from './plugins/error-handler';
import jsonBody from './plugins/json-body';
import openapi from './plugins/openapi';
import security from './plugins/security';
import services, { type ServicesOptions } from './plugins/services';
import catalog from './routes/catalog';
import diagnoses from './routes/diagnoses';
import feedback from './routes/feedback';
import health from './routes/health';
import { AGE_DURATION_FORMAT, isAgeDuration } from './schemas';
import { formatValidationErrors } from './validation-messages';

export interface AppOptions extends Omit<ServicesOptions, 'config'> {
  readonly logger?: FastifyServerOptions['logger'];
  /** Directory of the clinician page; beside `src/` in the repo, beside the bundle in the image. */
  readonly publicDir?: string;
}

/** @fastify/ajv-compiler's factory, typed by what is used here (its published types are a union over JTD too). */
type ValidatorFactory = (
  externalSchemas: unknown,
  options: { customOptions?: object },
) => FastifySchemaCompiler<unknown>;
const ajvCompilers = AjvCompiler() as unknown as ValidatorFactory;

/**
 * Query strings and path parameters arrive as text and are coerced to their schema's types; a JSON body carries its
 * own types and is validated as sent (coercion would turn `"years": null` into 0 years and `"topK": "5"` into 5).
 */
const coercingOnlyOutsideBodies: ValidatorFactory = (externalSchemas, options) => {
  const coercing = ajvCompilers(externalSchemas, options);
  const exact = ajvCompilers(externalSchemas, {
    ...options,
    customOptions: { ...options.customOptions, coerceTypes: false },
  });
  return (route) => (route.httpPart === 'body' ? exact : coercing)(route);
};

/**
 * The access log names the route, never the URL: a query string (type-ahead) is free text, and a path that matched no
 * route, or a parameter that failed its pattern, can carry anything a client typed (a name, a record number).
 */
function logSafeRequest(request: FastifyRequest) {
  return { method: request.method, route: request.routeOptions?.url ?? 'no route', requestId: request.id };
}

export async function buildApp(config: ServiceConfig, opts: AppOptions = {}): Promise<FastifyInstance> {
  // Node checks the request deadlines this often (its default of 30 s is too coarse for a 10 s limit)
  const checkEveryMs = Math.min(1000, config.requestTimeoutMs);
  const app = Fastify({
    // The serializer applies to any logger passed in too (tests capture the lines), so what is tested is what runs.
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
            serializers: { req: logSafeRequest },
          },
    bodyLimit: config.bodyLimitBytes,
    // The request id is ours (a UUID): a client-sent header could carry a patient identifier into the audit log.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // One access-log line per request (onResponse below) instead of Fastify's two: logging is a visible share of the
    // per-request cost under load.
    logController: new LogController({ disableRequestLogging: true }),
    // The load balancer closes idle connections after 60 s; keep ours open longer so it never hits a closed one.
    keepAliveTimeout: 72_000,
    // Slow clients (slow-loris): a request whose headers and body have not all arrived within REQUEST_TIMEOUT_MS is
    // answered 408 (clientErrorHandler states the limit) and its connection closed, a connection that sends nothing
    // likewise. Node checks those deadlines every connectionsCheckingInterval, and its headers deadline is fixed when
    // the server is created, so both are set here. The socket's inactivity timeout (connectionTimeout) destroys a
    // connection without a word, so it is set past the last check: with it equal, a client that stalled got its
    // connection closed with an empty reply instead of the 408.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs + 2 * checkEveryMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: checkEveryMs,
    },
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    // A parameter longer than find-my-way's default of 100 characters matched no route (a 404 "no route"); the route's
    // schema judges it instead (a 400 naming the form). Node's header size limit (16 KiB) bounds the URL anyway.
    routerOptions: { maxParamLength: 16_384 },
    trustProxy: config.host !== '127.0.0.1',
    // Unknown fields are refused (additionalProperties: false), never silently dropped; query strings are coerced.
    schemaController: { compilersFactory: { buildValidator: coercingOnlyOutsideBodies as never } },
    schemaErrorFormatter: formatValidationErrors,
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        allErrors: false,
        // the value and schema of each error, which the 400 message quotes (validation-messages.ts)
        verbose: true,
        formats: { [AGE_DURATION_FORMAT]: isAgeDuration },
      },
    },
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
  await app.register(jsonBody);
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
