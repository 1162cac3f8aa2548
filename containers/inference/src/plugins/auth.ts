import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthConfig } from '../config';
import { unauthorized } from '../errors';

type Jose = typeof import('jose');

/** Cognito signs with RS256; listing the algorithms rejects `alg: none` and HMAC confusion outright. */
const ALGORITHMS = ['RS256', 'ES256'];

/** Routes that need a token when auth is on: the API and the metrics. Health, the page and /docs stay open. */
export function isProtected(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (routeUrl.startsWith('/v1/') || routeUrl === '/metrics');
}

function reason(joseErrors: Jose['errors'], err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the bearer token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return `the bearer token's ${err.claim} claim is not accepted`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the bearer token signature does not verify';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the bearer token algorithm is not accepted';
  return 'the bearer token is not valid';
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The bearer token, else the trusted proxy's token header (only when configured); anything malformed is none. */
function tokenOf(request: FastifyRequest, config: AuthConfig): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header)?.[1];
  const proxied = config.tokenHeader ? request.headers[config.tokenHeader] : undefined;
  return typeof proxied === 'string' && JWT.test(proxied) ? proxied : undefined;
}

async function auth(app: FastifyInstance, opts: { auth?: AuthConfig }): Promise<void> {
  const config = opts.auth;
  if (!config) return;
  // jose 6 is ESM only: Node >= 20.19 require()s it natively, jest's module runtime cannot, so it is loaded only when
  // auth is on (the auth tests run the real server in a child process).
  const { createRemoteJWKSet, errors: joseErrors, jwtVerify } = await import('jose');
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5000 });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!isProtected(request.routeOptions.url)) return;
    const token = tokenOf(request, config);
    if (!token) throw unauthorized('an Authorization: Bearer <JWT> header is required');
    let payload: Awaited<ReturnType<Jose['jwtVerify']>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: config.issuer, algorithms: ALGORITHMS }));
    } catch (err) {
      request.log.info({ reason: reason(joseErrors, err) }, 'bearer token rejected');
      throw unauthorized(reason(joseErrors, err));
    }
    // ID tokens carry the app client in `aud`; Cognito access tokens carry it in `client_id` and have no `aud`.
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    const accessClient = payload.token_use === 'access' ? payload.client_id : undefined;
    const accepted = (id: unknown) => typeof id === 'string' && config.audiences.includes(id);
    if (!audiences.some(accepted) && !accepted(accessClient)) {
      throw unauthorized("the bearer token's aud claim is not accepted");
    }
  });
}

export default fp(auth, { name: 'auth' });
