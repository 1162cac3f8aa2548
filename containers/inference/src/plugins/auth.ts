import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { AuthConfig } from '../config';
import { unauthorized } from '../errors';

/** Cognito signs with RS256; listing the algorithms rejects `alg: none` and HMAC confusion outright. */
const ALGORITHMS = ['RS256', 'ES256'];

/** Routes that need a token when auth is on: the API and the metrics. Health, the page and /docs stay open. */
export function isProtected(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (routeUrl.startsWith('/v1/') || routeUrl === '/metrics');
}

function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the bearer token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return `the bearer token's ${err.claim} claim is not accepted`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the bearer token signature does not verify';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the bearer token algorithm is not accepted';
  return 'the bearer token is not valid';
}

async function auth(app: FastifyInstance, opts: { auth?: AuthConfig }): Promise<void> {
  const config = opts.auth;
  if (!config) return;
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5000 });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!isProtected(request.routeOptions.url)) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header) : null;
    if (!match) throw unauthorized('an Authorization: Bearer <JWT> header is required');
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(match[1], jwks, { issuer: config.issuer, algorithms: ALGORITHMS }));
    } catch (err) {
      request.log.info({ reason: reason(err) }, 'bearer token rejected');
      throw unauthorized(reason(err));
    }
    // ID tokens carry the app client in `aud`; Cognito access tokens carry it in `client_id` and have no `aud`.
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    const accessClient = payload.token_use === 'access' ? payload.client_id : undefined;
    if (!audiences.includes(config.audience) && accessClient !== config.audience) {
      throw unauthorized("the bearer token's aud claim is not accepted");
    }
  });
}

export default fp(auth, { name: 'auth' });
