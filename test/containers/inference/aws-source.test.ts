import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DRAVET_LIKE, FIXTURES, makeHome, startApp } from './helpers';

/**
 * AWS mode against loopback emulators: an SSM endpoint answering GetParameter with the approved package's S3 prefix,
 * and a path-style S3 endpoint serving the fixture packages. No real AWS endpoint is ever called.
 */
describe('model package from S3, located through the SSM parameter', () => {
  const files = new Map<string, Buffer>();
  const puts = new Map<string, string>();
  let parameter = 's3://models/dxops/v1/';
  let server: Server;
  let endpoint: string;
  const saved = { ...process.env };

  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => resolve(data));
    });

  beforeAll(async () => {
    for (const v of ['v1', 'v2']) {
      for (const f of ['manifest.json', 'model.onnx', 'catalog.json', 'vocabulary.json', 'evidences.json']) {
        files.set(`/models/dxops/${v}/${f}`, readFileSync(join(FIXTURES, v, f)));
      }
    }
    server = createServer(async (req, res) => {
      if (req.method === 'POST' && req.headers['x-amz-target'] === 'AmazonSSM.GetParameter') {
        const { Name } = JSON.parse(await body(req));
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(JSON.stringify({ Parameter: { Name, Type: 'String', Value: parameter, Version: 1 } }));
        return;
      }
      if (req.method === 'PUT') {
        puts.set((req.url ?? '').split('?')[0], await body(req));
        res.setHeader('etag', '"0"');
        res.end();
        return;
      }
      const file = files.get((req.url ?? '').split('?')[0]);
      res.statusCode = file ? 200 : 404;
      res.end(file ?? '<Error><Code>NoSuchKey</Code></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Static dummy credentials: the SDK signs requests, the emulator ignores the signature.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' });
  });
  afterAll(() => {
    process.env = saved;
    server.close();
  });

  const env = () => ({
    MODEL_SSM_PARAMETER: '/dxops/test/model/approved-uri',
    SSM_ENDPOINT: endpoint,
    S3_ENDPOINT: endpoint,
    SKIP_REGISTRY: '1',
  });

  test('the approved package is read from S3, verified and served; a new approval is hot-reloaded', async () => {
    // GIVEN the parameter names v1
    parameter = 's3://models/dxops/v1/';
    const t = await startApp(env(), makeHome());
    try {
      const diagnose = () => t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
      expect((await diagnose()).json().modelVersion).toBe('fixture-1');
      // WHEN the deploy Lambda writes v2's prefix
      parameter = 's3://models/dxops/v2';
      await t.app.dx.models.refresh();
      // THEN
      expect((await diagnose()).json().modelVersion).toBe('fixture-2');
    } finally {
      await t.app.close();
    }
  });

  test("the parameter's 'none' (no approved version) withdraws the served model", async () => {
    // GIVEN v1 served
    parameter = 's3://models/dxops/v1/';
    const t = await startApp(env(), makeHome());
    try {
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      // WHEN the deploy Lambda writes 'none' (the last approved version was rejected)
      parameter = 'none';
      await t.app.dx.models.refresh();
      // THEN the service is no longer ready and answers no diagnosis
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503);
      expect((await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE })).statusCode).toBe(503);
    } finally {
      await t.app.close();
    }
  });

  test('a package truncated in S3 is refused and the current model keeps serving', async () => {
    // GIVEN v1 served, then a truncated copy of v2's model approved
    parameter = 's3://models/dxops/v1/';
    const t = await startApp(env(), makeHome());
    try {
      const model = files.get('/models/dxops/v2/model.onnx') as Buffer;
      files.set('/models/dxops/broken/model.onnx', model.subarray(0, model.length / 2));
      for (const f of ['manifest.json', 'catalog.json', 'vocabulary.json', 'evidences.json']) {
        files.set(`/models/dxops/broken/${f}`, files.get(`/models/dxops/v2/${f}`) as Buffer);
      }
      parameter = 's3://models/dxops/broken/';
      // WHEN
      await t.app.dx.models.refresh();
      // THEN
      const refused = t.logs.find((l) => l.msg === 'model package refused; keeping the current model');
      expect(refused?.reason).toMatch(/model.onnx sha256 [0-9a-f]{64} does not match/);
      const res = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
      expect(res.json().modelVersion).toBe('fixture-1');
    } finally {
      await t.app.close();
    }
  });

  test('an unreachable SSM endpoint at start is a readiness failure with the reason, not a crash', async () => {
    // GIVEN an endpoint where nothing listens
    const t = await startApp({ ...env(), SSM_ENDPOINT: 'http://127.0.0.1:9' }, makeHome());
    try {
      // WHEN / THEN
      const ready = await t.app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().reason).toMatch(/cannot read the model registry/);
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });

  test('audit and feedback records are shipped to the audit bucket in whole-line batches, never twice', async () => {
    // GIVEN AWS mode with an audit bucket
    parameter = 's3://models/dxops/v1/';
    const t = await startApp({ ...env(), AUDIT_BUCKET: 'audit-bucket', AUDIT_SHIP_INTERVAL_MS: '0' }, makeHome());
    try {
      puts.clear();
      const diagnose = () => t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
      const first = (await diagnose()).json().requestId;
      await t.app.inject({
        method: 'POST',
        url: '/v1/feedback',
        payload: { requestId: first, diseaseId: 'OMIM:607208', verdict: 'confirmed' },
      });
      // WHEN the shippers run, then run again after one more prediction
      for (const shipper of t.app.dx.shippers) await shipper.ship();
      const afterFirst = new Map(puts);
      for (const shipper of t.app.dx.shippers) await shipper.ship();
      const second = (await diagnose()).json().requestId;
      for (const shipper of t.app.dx.shippers) await shipper.ship();
      // THEN one object per file and run, under audit/<task>/ and feedback/<task>/, holding only the new lines
      const keys = [...afterFirst.keys()];
      expect(keys).toHaveLength(2);
      expect(keys.find((k) => k.startsWith('/audit-bucket/audit/'))).toMatch(/audit-\d{4}-\d{2}-\d{2}\.jsonl\.0-\d+$/);
      expect(keys.some((k) => k.startsWith('/audit-bucket/feedback/'))).toBe(true);
      expect(puts.size).toBe(3);
      const newest = [...puts.entries()].find(([k]) => !afterFirst.has(k));
      expect(
        newest?.[1]
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).requestId),
      ).toEqual([second]);
    } finally {
      await t.app.close();
    }
  });
});
