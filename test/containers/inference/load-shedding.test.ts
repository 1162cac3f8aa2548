import { loadConfig } from '../../../containers/inference/src/config';
import { DRAVET_LIKE, startApp, type TestApp } from './helpers';

describe('load shedding by requests in progress (MAX_IN_FLIGHT)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ MAX_IN_FLIGHT: '2' });
  });
  afterAll(() => t.app.close());

  const diagnose = () => t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });

  test('requests beyond the limit get an immediate 503 with Retry-After, health checks never do', async () => {
    // WHEN four diagnoses start together (each waits for its audit fdatasync) and a health check comes in
    const [responses, health, probe] = await Promise.all([
      Promise.all([diagnose(), diagnose(), diagnose(), diagnose()]),
      t.app.inject({ method: 'GET', url: '/healthz' }),
      // with a query string too: the path is compared, not the raw URL
      t.app.inject({ method: 'GET', url: '/healthz?probe=1' }),
    ]);
    // THEN two are served and two refused, saying why
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 503, 503]);
    const refused = responses.find((r) => r.statusCode === 503);
    expect(refused?.headers['retry-after']).toBe('5');
    expect(refused?.json().message).toMatch(/2 requests in progress, its limit/);
    expect(health.statusCode).toBe(200);
    expect(probe.statusCode).toBe(200);
  });

  test('finished requests free their slots: the next ones are served', async () => {
    // WHEN
    const responses = await Promise.all([diagnose(), diagnose()]);
    // THEN
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
  });

  test('MAX_IN_FLIGHT must be a positive integer', () => {
    expect(() => loadConfig({ MAX_IN_FLIGHT: '0' })).toThrow(/MAX_IN_FLIGHT must be an integer in \[1, 100000\]/);
  });
});
