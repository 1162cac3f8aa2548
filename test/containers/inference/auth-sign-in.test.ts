import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../containers/inference/src/config';
import { FIXTURES, makeHome } from './helpers';
import { jwt, type LocalJwks, serveJwks } from './jwks';
import { type ServerProcess, startServer } from './server-process';

const ISSUER = 'https://issuer.test/pool';
const SCRIPTS_CLIENT = 'dxops-scripts';
const SIGN_IN_CLIENT = 'dxops-alb-sign-in';
const HEADER = 'x-amzn-oidc-accesstoken';

// The serving stack runs the service behind an ALB that signs browsers in with Cognito and forwards the access token
// in x-amzn-oidc-accesstoken; scripts bring their own bearer token from the other app client.
describe('tokens from the load balancer sign-in (real server, local JWKS on loopback)', () => {
  let jwks: LocalJwks;
  let server: ServerProcess;
  const home = makeHome();
  const now = () => Math.floor(Date.now() / 1000);
  const access = (clientId: string, extra: object = {}) =>
    jwt(
      {
        iss: ISSUER,
        sub: 'clinician-1',
        token_use: 'access',
        client_id: clientId,
        iat: now(),
        exp: now() + 600,
        ...extra,
      },
      jwks.privateKey,
    );

  beforeAll(async () => {
    jwks = await serveJwks();
    server = await startServer({
      MODEL_DIR: join(FIXTURES, 'v1'),
      DXOPS_HOME: home,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: `${SCRIPTS_CLIENT},${SIGN_IN_CLIENT}`,
      AUTH_JWKS_URL: jwks.url,
      AUTH_TOKEN_HEADER: HEADER,
    });
  });
  afterAll(async () => {
    await server?.stop();
    jwks?.close();
    rmSync(home, { recursive: true, force: true });
  });
  const get = (headers: Record<string, string>) => fetch(`${server.url}/v1/phenotypes?q=fever`, { headers });

  test("the load balancer's access token in its header is verified and accepted", async () => {
    expect((await get({ [HEADER]: access(SIGN_IN_CLIENT) })).status).toBe(200);
  });

  test('a bearer token of the other app client is accepted too', async () => {
    expect((await get({ authorization: `Bearer ${access(SCRIPTS_CLIENT)}` })).status).toBe(200);
  });

  test.each([
    ['an expired token', () => access(SIGN_IN_CLIENT, { exp: now() - 60 }), /expired/],
    ['a token of another app client', () => access('someone-else'), /aud claim is not accepted/],
    ['a token from another issuer', () => access(SIGN_IN_CLIENT, { iss: 'https://evil.test' }), /iss claim/],
    ['something that is not a JWT', () => 'not-a-token', /Authorization: Bearer <JWT> header is required/],
  ])('%s in the header is a 401: the header is verified like a bearer token', async (_name, token, message) => {
    const res = await get({ [HEADER]: token() });
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(message);
  });

  test('a bad Authorization header is not rescued by a valid proxy header', async () => {
    const res = await get({ authorization: 'Bearer broken', [HEADER]: access(SIGN_IN_CLIENT) });
    expect(res.status).toBe(401);
  });
});

describe('auth config for the sign-in', () => {
  test('AUTH_AUDIENCE takes a comma-separated list and AUTH_TOKEN_HEADER is lower-cased', () => {
    const auth = loadConfig({
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: 'a, b',
      AUTH_TOKEN_HEADER: 'X-Amzn-Oidc-Accesstoken',
    }).auth;
    expect(auth).toMatchObject({ audiences: ['a', 'b'], tokenHeader: HEADER });
  });

  test('the token header cannot be Authorization itself', () => {
    expect(() => loadConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'a', AUTH_TOKEN_HEADER: 'Authorization' })).toThrow(
      /AUTH_TOKEN_HEADER names another header than Authorization/,
    );
  });
});
