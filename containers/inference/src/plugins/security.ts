import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { ServiceConfig } from '../config';

const UNLIMITED = new Set(['/healthz', '/readyz']);
/**
 * Health checks by their route, never by the raw URL: `/healthz?x=1` is the same check, and was rate limited and shed
 * when the URL with its query string was compared.
 */
const isHealthCheck = (request: FastifyRequest) => UNLIMITED.has(request.routeOptions.url ?? '');
const RETRY_AFTER_S = 5;
/** The rate limit's window; the 429 names it (the plugin's `after` is the time left until it resets, not the window). */
const RATE_WINDOW = { ms: 60_000, name: 'minute' } as const;

/** helmet's defaults with a CSP for the same-origin clinician page (no inline scripts or styles, no framing). */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
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
};

/**
 * The headers helmet sets for these options, computed once. The policy is static (no nonces, no per-request
 * directive functions), so every response gets the same headers; @fastify/helmet instead rebuilt the middleware and
 * re-parsed the CSP on every request, a tenth of the CPU of a small route.
 */
export function securityHeaders(options = HELMET_OPTIONS): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return Object.freeze(headers);
}

const SECURITY_HEADERS = securityHeaders();

/**
 * The 503 of both load shedders: why, and when to retry. Serialized as plain JSON: a route's own 503 schema (/readyz
 * has one) would not fit it, and the request became a 500.
 */
function overloaded(reply: FastifyReply, reason: string): void {
  reply
    .code(503)
    .header('Retry-After', String(RETRY_AFTER_S))
    .serializer(JSON.stringify)
    .send({ statusCode: 503, error: 'Service Unavailable', message: `${reason}; retry in ${RETRY_AFTER_S} s` });
}

/**
 * Load shedding by concurrency: past `max` requests in progress a new one is refused at once with a 503. Without it a
 * burst of a thousand connections is queued in the sockets, where the event-loop delay that under-pressure watches
 * stays low, and waits seconds for its turn (measured: p99 5 s with the fixture model, near the 10 s timeouts).
 * Health checks are exempt, like the rate limit: the load balancer must not take an overloaded task for a dead one.
 */
function shedBeyond(app: FastifyInstance, max: number): void {
  let inFlight = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (isHealthCheck(request)) return done();
    if (inFlight >= max) {
      overloaded(reply, `the service has ${max} requests in progress, its limit`);
      return;
    }
    inFlight++;
    // 'close' is emitted once the response is sent or the connection is gone, so an aborted request is released too.
    reply.raw.once('close', () => {
      inFlight--;
    });
    done();
  });
}

/** Security headers, strict CORS, per-client rate limit and load shedding (503 instead of timeouts when saturated). */
async function security(app: FastifyInstance, opts: { config: ServiceConfig }): Promise<void> {
  const { config } = opts;
  // Every response, errors included, carries the headers from the first hook on.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
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
    timeWindow: RATE_WINDOW.ms,
    // Health checks come from the load balancer's few addresses and must never be throttled.
    allowList: isHealthCheck,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit of ${context.max} requests per ${RATE_WINDOW.name} exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  shedBeyond(app, config.maxInFlight);
  await app.register(underPressure, {
    maxEventLoopDelay: 1000,
    retryAfter: RETRY_AFTER_S,
    // Health checks are answered even when overloaded, as the rate limit exempts them: the load balancer must not
    // replace a task for being busy (returning nothing lets the request through).
    pressureHandler: (request, reply, type, value) => {
      if (isHealthCheck(request)) return;
      overloaded(reply, `the service is overloaded (${type} ${value})`);
    },
  });
}

export default fp(security, { name: 'security' });
