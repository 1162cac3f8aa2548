import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { DRAVET_LIKE, FIXTURES, makeHome, readJsonl } from './helpers';
import { startServer } from './server-process';

/** A diagnosis whose body is half sent now and finished after `delayMs`: a request truly in flight. */
function inFlightDiagnosis(url: string, delayMs: number) {
  const body = JSON.stringify(DRAVET_LIKE);
  return new Promise<{ status?: number; requestId: string }>((resolve, reject) => {
    const req = request(`${url}/v1/diagnoses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, requestId: JSON.parse(text).requestId }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 20));
    setTimeout(() => req.end(body.slice(20)), delayMs);
  });
}

describe('graceful shutdown', () => {
  test('SIGTERM while a request is in flight: it completes and is audited, new requests are refused, exit 0', async () => {
    // GIVEN the real server and a request whose body is only half sent (truly in flight)
    const home = makeHome();
    const server = await startServer({ MODEL_DIR: join(FIXTURES, 'v1'), DXOPS_HOME: home });
    try {
      const inFlight = inFlightDiagnosis(server.url, 600);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      // WHEN
      server.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const late = await fetch(`${server.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      const answer = await inFlight;
      // THEN
      expect(answer.status).toBe(200);
      expect(['refused', 503]).toContain(late);
      expect(await exited).toBe(0);
      expect(readJsonl(join(home, 'audit')).map((r) => r.requestId)).toContain(answer.requestId);
    } finally {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('SIGTERM during traffic: ten requests in flight all complete with a 200 and are audited; exit 0', async () => {
    // GIVEN the real server and ten requests whose bodies are only half sent
    const home = makeHome();
    const server = await startServer({ MODEL_DIR: join(FIXTURES, 'v1'), DXOPS_HOME: home });
    try {
      const inFlight = Array.from({ length: 10 }, () => inFlightDiagnosis(server.url, 700));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      // WHEN
      server.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      // THEN
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(await exited).toBe(0);
      const audited = readJsonl(join(home, 'audit')).map((r) => r.requestId);
      expect(audited).toEqual(expect.arrayContaining(answers.map((a) => a.requestId)));
    } finally {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
