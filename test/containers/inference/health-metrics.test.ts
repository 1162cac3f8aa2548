import { DRAVET_LIKE, startApp, type TestApp } from './helpers';

describe('health, readiness, metrics and EMF', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  test('liveness and readiness answer when a model is served', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', modelVersion: 'fixture-1' });
  });

  test('/metrics exposes latency, predictions by category, review rate, model version and drift PSI', async () => {
    // GIVEN two predictions: an orphan one and a flat (specialist review) one
    await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
    await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: { phenotypes: [{ id: 'HP:0000006' }] } });
    // WHEN
    const res = await t.app.inject({ url: '/metrics' });
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(/dxops_http_request_duration_seconds_count\{.*route="\/v1\/diagnoses".*\} 2/);
    expect(text).toMatch(/dxops_predictions_total\{category="orphan"\} 1/);
    expect(text).toMatch(/dxops_specialist_review_rate 0\.5/);
    expect(text).toMatch(/dxops_model_info\{model_version="fixture-1"\} 1/);
    for (const family of ['ageBand', 'sex', 'phenotypeCount', 'system', 'confidence', 'predictedCategory']) {
      expect(text).toMatch(new RegExp(`dxops_drift_psi\\{family="${family}"\\} \\d`));
    }
  });

  test('EMF lines carry the metric names and dimensions the CloudWatch alarms read', async () => {
    // WHEN
    const lines = t.app.dx.metrics.emfLines('DxOps/Inference', 'test', 0).map((l) => JSON.parse(l));
    // THEN
    const drift = lines.find((l) => l.Family === 'ageBand');
    expect(drift).toMatchObject({ Stage: 'test', DriftPsi: expect.any(Number) });
    expect(drift._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'DxOps/Inference',
      Dimensions: [['Stage', 'Family']],
      Metrics: [{ Name: 'DriftPsi', Unit: 'None' }],
    });
    expect(lines.find((l) => l.SpecialistReviewRate !== undefined)?.SpecialistReviewRate).toBe(0.5);
    expect(lines.find((l) => l.Category === 'orphan')?.Predictions).toBe(1);
    expect(lines.find((l) => l.LatencyMs)?.LatencyMs).toHaveLength(2);
  });

  test('the OpenAPI document says /metrics may be shed (503), as the health checks never are', async () => {
    const paths = (await t.app.inject({ url: '/docs/json' })).json().paths;
    expect(Object.keys(paths['/metrics'].get.responses)).toContain('503');
    expect(Object.keys(paths['/healthz'].get.responses)).not.toContain('503');
  });

  test('the OpenAPI document lists every route', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths).sort()).toEqual(
      [
        '/healthz',
        '/metrics',
        '/readyz',
        '/v1/diagnoses',
        '/v1/diseases',
        '/v1/diseases/{id}',
        '/v1/feedback',
        '/v1/phenotypes',
      ].sort(),
    );
  });

  test('responses carry security headers and no CORS grant for an unlisted origin', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('an unknown route is a 404 naming it', async () => {
    const res = await t.app.inject({ url: '/v2/diagnoses?q=x' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('no route GET /v2/diagnoses');
  });
});

describe('without an approved model', () => {
  test('readiness fails with the reason and the API answers 503, never a crash', async () => {
    // GIVEN an empty registry
    const t = await startApp({ SKIP_REGISTRY: '1' });
    try {
      // WHEN / THEN
      const ready = await t.app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().reason).toBe('no approved model in the registry');
      const res = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toMatch(/no model is loaded yet/);
      expect((await t.app.inject({ url: '/v1/phenotypes?q=fever' })).statusCode).toBe(503);
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});

describe('rate limiting', () => {
  test('requests over the per-minute limit get a 429 naming the window and when to retry; health checks are exempt', async () => {
    // GIVEN a limit of 3 per minute
    const t = await startApp({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      // WHEN the limit is reached, and the next request comes over a second into the window
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await t.app.inject({ url: '/v1/phenotypes?q=fe' })).statusCode);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const limited = await t.app.inject({ url: '/v1/phenotypes?q=fe' });
      // THEN the window is still a minute (the time left until it resets was named as the window), the wait is less
      expect(codes).toEqual([200, 200, 200, 429]);
      expect(limited.json().message).toMatch(/^rate limit of 3 requests per minute exceeded; retry in \d+ s$/);
      expect(Number(/retry in (\d+) s/.exec(limited.json().message)?.[1])).toBeLessThan(60);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      // a health check with a query string is still one (the raw URL used to be compared)
      for (let i = 0; i < 4; i++) expect((await t.app.inject({ url: '/healthz?probe=1' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});

describe('CORS allow-list', () => {
  test('a listed origin is granted, an unlisted one is not', async () => {
    // GIVEN
    const t = await startApp({ CORS_ORIGINS: 'https://ehr.example, https://portal.example' });
    try {
      // WHEN
      const listed = await t.app.inject({ url: '/healthz', headers: { origin: 'https://portal.example' } });
      const other = await t.app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
      // THEN
      expect(listed.headers['access-control-allow-origin']).toBe('https://portal.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.app.close();
    }
  });
});
