import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors';

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

/**
 * The one error handler: 4xx keep their message (it says what was wrong), 5xx are logged with the stack and answered
 * with a generic message. Request bodies are never logged: they may hold clinical data.
 */
async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    const status = err instanceof HttpError ? err.statusCode : (err.statusCode ?? 500);
    const statusCode = status >= 400 && status < 600 ? status : 500;
    let message = err.message;
    if ('validation' in err && err.validation) {
      message = `invalid request: ${err.message}`;
    } else if (statusCode >= 500 && !(err instanceof HttpError)) {
      request.log.error({ err }, 'request failed');
      message = 'internal error; the request id is in the x-request-id header';
    } else {
      request.log.info({ statusCode, reason: message }, 'request refused');
    }
    reply
      .code(statusCode)
      .send({ statusCode, error: REASON[statusCode] ?? (statusCode < 500 ? 'Bad Request' : 'Error'), message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`,
    });
  });
}

export default fp(errorHandler, { name: 'error-handler' });
