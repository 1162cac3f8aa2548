import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../containers/inference/src/config';
import { FIXTURES, makeHome, startApp } from './helpers';
import { b64url, jwt, type LocalJwks, serveJwks } from './jwks';
import { type ServerProcess, startServer } from './server-process';

const ISSUER = 'https://issuer.test/pool';
const AUDIENCE = 'dxops-clinician-app';

describe('JWT bearer authentication (real server, local JWKS on loopback)', () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: LocalJwks;
  let server: ServerProcess;
  const home = makeHome();
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: object = {}) => ({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'clinician-1',
    iat: now(),
    exp: now() + 600,
    ...extra,
  });

  beforeAll(async () => {
    jwks = await serveJwks();
    server = await startServer({
      MODEL_DIR: join(FIXTURES, 'v1'),
      DXOPS_HOME: home,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_URL: jwks.url,
    });
  });
  afterAll(async () => {
    await server?.stop();
    jwks?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const call = (path: string, token?: string) =>
    fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('a valid token from the issuer is accepted', async () => {
    const res = await call('/v1/phenotypes?q=fever', jwt(claims(), jwks.privateKey));
    expect(res.status).toBe(200);
  });

  test('a Cognito access token (client_id instead of aud) for the app client is accepted', async () => {
    const token = jwt(claims({ aud: undefined, token_use: 'access', client_id: AUDIENCE }), jwks.privateKey);
    expect((await call('/v1/diseases/OMIM:607208', token)).status).toBe(200);
  });

  test.each([
    ['a missing token', () => undefined, /Authorization: Bearer <JWT> header is required/],
    ['an expired token', () => jwt(claims({ iat: now() - 7200, exp: now() - 3600 }), jwks.privateKey), /expired/],
    [
      'a token for another audience',
      () => jwt(claims({ aud: 'someone-else' }), jwks.privateKey),
      /aud claim is not accepted/,
    ],
    [
      'a token from another issuer',
      () => jwt(claims({ iss: 'https://evil.test' }), jwks.privateKey),
      /iss claim is not accepted/,
    ],
    ['a token signed by another key', () => jwt(claims(), other.privateKey), /signature does not verify/],
    [
      'an unsigned alg:none token',
      () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`,
      /not (valid|accepted)/,
    ],
    ['a token that is not a JWT', () => 'abc.def', /not valid/],
  ])('%s is a 401 that says why', async (_name, token, message) => {
    // WHEN
    const res = await call('/v1/phenotypes?q=fever', token());
    // THEN
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(message);
  });

  describe('every route of the app, as the app lists them, except the documented open ones', () => {
    // Open by design (docs/api.md): health checks for the load balancer, the clinician page (it sends the token it
    // holds) and the OpenAPI document. Everything else the app registers must refuse a request without a valid token.
    const OPEN = [/^\/healthz$/, /^\/readyz$/, /^\/\*$/, /^\/docs(\/.*)?$/, /^\*$/];
    const routes: { method: string; url: string; path: string }[] = [];
    beforeAll(async () => {
      // The route list comes from the app itself (built in-process without auth: the same routes), so a route added
      // later is in this table without anyone editing it.
      const t = await startApp();
      try {
        for (const route of t.app.declaredRoutes) {
          for (const method of route.methods) {
            const path = route.url.replace(/:[A-Za-z0-9_]+/g, 'OMIM:607208').replace(/\*$/, 'index.html');
            routes.push({ method, url: route.url, path: path === '' ? '/' : path });
          }
        }
      } finally {
        await t.app.close();
      }
    });
    const protectedRoutes = () => routes.filter((r) => !OPEN.some((o) => o.test(r.url)));
    const badTokens: [string, () => string | undefined][] = [
      ['missing', () => undefined],
      ['expired', () => jwt(claims({ iat: now() - 7200, exp: now() - 3600 }), jwks.privateKey)],
      ['for another audience', () => jwt(claims({ aud: 'someone-else' }), jwks.privateKey)],
      ['from another issuer', () => jwt(claims({ iss: 'https://evil.test' }), jwks.privateKey)],
      ['signed by another key', () => jwt(claims(), other.privateKey)],
      ['unsigned (alg none)', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`],
    ];

    test('the table covers the API and /metrics (a route list that lost them would make this test vacuous)', () => {
      const urls = protectedRoutes().map((r) => `${r.method} ${r.url}`);
      for (const expected of [
        'POST /v1/diagnoses',
        'GET /v1/phenotypes',
        'GET /v1/diseases/:id',
        'POST /v1/feedback',
        'GET /metrics',
      ]) {
        expect(urls).toContain(expected);
      }
    });

    test.each(badTokens)('a token that is %s is a 401 on every protected route', async (_name, token) => {
      // GIVEN
      const bearer = token();
      // WHEN every protected route and method is called with it
      const answers = await Promise.all(
        protectedRoutes().map(async (r) => {
          const res = await fetch(`${server.url}${r.path}`, {
            method: r.method,
            headers: {
              ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
              ...(r.method === 'POST' ? { 'content-type': 'application/json' } : {}),
            },
            body: r.method === 'POST' ? '{}' : undefined,
          });
          return `${r.method} ${r.url} ${res.status}`;
        }),
      );
      // THEN
      expect(answers).toEqual(protectedRoutes().map((r) => `${r.method} ${r.url} 401`));
    });

    test('the open routes answer without a token', async () => {
      const open = routes.filter((r) => OPEN.some((o) => o.test(r.url)) && r.method === 'GET' && r.url !== '*');
      expect(open.length).toBeGreaterThanOrEqual(5);
      for (const r of open) {
        const res = await fetch(`${server.url}${r.path}`);
        expect(`${r.url} ${res.status === 401 ? 401 : 'open'}`).toBe(`${r.url} open`);
      }
    });
  });

  test('the API and /metrics need a token; health checks do not', async () => {
    expect((await call('/metrics')).status).toBe(401);
    expect((await fetch(`${server.url}/v1/diagnoses`, { method: 'POST' })).status).toBe(401);
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/readyz')).status).toBe(200);
  });
});

describe('binding without authentication', () => {
  test('the config refuses a non-loopback HOST when auth is off', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST=0.0.0.0 needs authentication/);
    expect(() => loadConfig({ AUTH_ISSUER: ISSUER })).toThrow(/needs both AUTH_ISSUER and AUTH_AUDIENCE/);
    expect(loadConfig({ HOST: '0.0.0.0', AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE }).auth?.jwksUrl).toBe(
      `${ISSUER}/.well-known/jwks.json`,
    );
  });

  test('the server exits with the reason instead of listening on all interfaces', () => {
    // WHEN
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, '../../../containers/inference/src/server.ts')],
      { env: { PATH: process.env.PATH, HOST: '0.0.0.0', PORT: '0' }, encoding: 'utf8', timeout: 30_000 },
    );
    // THEN
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/HOST=0.0.0.0 needs authentication/);
  });

  test.each([
    ['PORT', { PORT: 'http' }, /PORT must be an integer/],
    ['MODEL_SOURCE', { MODEL_SOURCE: 'ftp' }, /MODEL_SOURCE must be 'local' or 's3'/],
    ['MODEL_SOURCE=s3 without a parameter', { MODEL_SOURCE: 's3' }, /needs MODEL_SSM_PARAMETER/],
  ])('a bad %s is a config error naming it', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
