import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors';

/** A route as registered: every route of the app, including HEAD, the static page and /docs (tests enumerate it). */
export interface DeclaredRoute {
  readonly url: string;
  readonly methods: readonly string[];
  readonly path: RegExp;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: readonly DeclaredRoute[];
  }
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const kib = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);

/** The media type a client sent, as far as it is one: the header is free text (it is not logged either). */
const mediaType = (header: string | undefined) =>
  header
    ?.split(';')[0]
    .trim()
    .replace(/[^\w.+/-]/g, '')
    .slice(0, 60);

/** Fastify's own refusals of a body, worded to say what was wrong and what to send (the log keeps Fastify's words). */
function bodyRefusal(err: FastifyError, request: FastifyRequest): string | undefined {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `the request body is too large: the limit is ${kib(request.routeOptions.bodyLimit)}`;
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const sent = mediaType(request.headers['content-type']);
    return sent
      ? `content-type ${sent} is not supported; send application/json`
      : 'the body has no content-type; send application/json';
  }
  return undefined;
}

/**
 * The one error handler: 4xx keep their message (it says what was wrong), 5xx are logged with the stack and answered
 * with a generic message. Request bodies are never logged: they may hold clinical data.
 */
async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    const status = err instanceof HttpError ? err.statusCode : (err.statusCode ?? 500);
    const statusCode = status >= 400 && status < 600 ? status : 500;
    // the reworded refusal quotes the request's content-type header; the log line keeps Fastify's generic message
    const reason = err.message;
    let message = (!(err instanceof HttpError) && bodyRefusal(err, request)) || reason;
    if ('validation' in err && err.validation) {
      message = `invalid request: ${err.message}`;
    } else if (statusCode >= 500 && !(err instanceof HttpError)) {
      request.log.error({ err }, 'request failed');
      message = 'internal error; the request id is in the x-request-id header';
    } else {
      request.log.info({ statusCode, reason }, 'request refused');
    }
    reply
      .code(statusCode)
      .send({ statusCode, error: REASON[statusCode] ?? (statusCode < 500 ? 'Bad Request' : 'Error'), message });
  });
  // An existing path asked with a method it does not have is a 405 naming the methods it has (RFC 9110 15.5.6).
  const routes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const pattern = route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+');
    routes.push({ url: route.url, methods: [route.method].flat(), path: new RegExp(`^${pattern}$`) });
  });
  // The static page's catch-all (GET /*) is left out: a path it does not serve is a 404, whatever the method.
  const allowed = (path: string) => [
    ...new Set(routes.filter((r) => !r.url.includes('*') && r.path.test(path)).flatMap((r) => r.methods)),
  ];

  const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const methods = allowed(path);
    if (methods.length === 0 || methods.includes(request.method)) return false;
    reply
      .code(405)
      .header('allow', methods.join(', '))
      .send({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${request.method.slice(0, 20)} is not allowed on ${path.slice(0, 200)}; allowed: ${methods.join(', ')}`,
      });
    return true;
  };
  // Answered in onRequest, before any body is parsed: a body-carrying method (QUERY, PUT) would otherwise be refused
  // for its missing content type before the router's 404 handler ever ran.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 && methodNotAllowed(request, reply)) return reply;
  });

  // Also reached when the static page's catch-all (GET /*) finds no file, e.g. GET /v1/diagnoses.
  app.setNotFoundHandler((request, reply) => {
    if (methodNotAllowed(request, reply)) return;
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`,
    });
  });
}

export default fp(errorHandler, { name: 'error-handler' });
