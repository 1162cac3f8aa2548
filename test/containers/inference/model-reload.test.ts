import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAVET_LIKE, startApp, type TestApp, writeRegistry } from './helpers';

describe('model hot reload through the local registry', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });
  afterEach(() => t.app.close());

  const version = async () =>
    (await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE })).json().modelVersion;
  const refusals = () => t.logs.filter((l) => l.msg === 'model package refused; keeping the current model');

  test('a newly approved higher version is loaded and served', async () => {
    // GIVEN v1 served
    expect(await version()).toBe('fixture-1');
    // WHEN v2 is approved
    writeRegistry(t.home, [
      { version: 1, status: 'Approved', packageDir: 'packages/1' },
      { version: 2, status: 'Approved', packageDir: 'packages/2' },
    ]);
    await t.app.dx.models.refresh();
    // THEN
    expect(await version()).toBe('fixture-2');
    expect((await t.app.inject({ url: '/readyz' })).json().modelVersion).toBe('fixture-2');
    expect((await t.app.inject({ url: '/metrics' })).body).toMatch(/dxops_model_info\{model_version="fixture-2"\} 1/);
  });

  test('a pending version is not served, and rejecting the current one falls back to the previous approval', async () => {
    // GIVEN v2 served
    writeRegistry(t.home, [
      { version: 1, status: 'Approved', packageDir: 'packages/1' },
      { version: 2, status: 'Approved', packageDir: 'packages/2' },
      { version: 3, status: 'PendingManualApproval', packageDir: 'packages/3' },
    ]);
    await t.app.dx.models.refresh();
    expect(await version()).toBe('fixture-2');
    // WHEN v2 is rejected
    writeRegistry(t.home, [
      { version: 1, status: 'Approved', packageDir: 'packages/1' },
      { version: 2, status: 'Rejected', packageDir: 'packages/2' },
    ]);
    await t.app.dx.models.refresh();
    // THEN
    expect(await version()).toBe('fixture-1');
  });

  test('rejecting the only approved version withdraws it: not ready, no predictions', async () => {
    // GIVEN v1 served WHEN it is rejected and nothing else is approved
    expect(await version()).toBe('fixture-1');
    writeRegistry(t.home, [{ version: 1, status: 'Rejected', packageDir: 'packages/1' }]);
    await t.app.dx.models.refresh();
    // THEN the service stops serving it
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const diagnosis = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
    expect(diagnosis.statusCode).toBe(503);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  test.each([
    [
      'a file whose sha256 does not match',
      (dir: string) => writeFileSync(join(dir, 'catalog.json'), '{"diseases": []}'),
      /catalog.json sha256 [0-9a-f]{64} does not match the manifest's/,
    ],
    [
      'a model file truncated on disk',
      (dir: string) => {
        const model = readFileSync(join(dir, 'model.onnx'));
        writeFileSync(join(dir, 'model.onnx'), model.subarray(0, Math.floor(model.length / 2)));
      },
      /model.onnx sha256 [0-9a-f]{64} does not match the manifest's/,
    ],
    [
      'a missing model file',
      (dir: string) =>
        writeFileSync(
          join(dir, 'manifest.json'),
          readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"model.onnx"', '"absent.onnx"'),
        ),
      /cannot read absent.onnx/,
    ],
    [
      'counts that disagree with the files',
      (dir: string) =>
        writeFileSync(
          join(dir, 'manifest.json'),
          readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"diseases": 6', '"diseases": 7'),
        ),
      /counts.diseases is 7 but the files hold 6/,
    ],
    [
      'an unsupported schema version',
      (dir: string) =>
        writeFileSync(
          join(dir, 'manifest.json'),
          readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"schemaVersion": 1', '"schemaVersion": 9'),
        ),
      /schemaVersion 9 is not supported/,
    ],
    [
      'a manifest that is not JSON',
      (dir: string) => writeFileSync(join(dir, 'manifest.json'), '{'),
      /manifest.json is not valid JSON/,
    ],
  ])('%s is refused with the reason logged while the old model keeps serving', async (_name, corrupt, reason) => {
    // GIVEN v2 corrupted on disk, then approved
    corrupt(join(t.home, 'registry', 'packages', '2'));
    writeRegistry(t.home, [
      { version: 1, status: 'Approved', packageDir: 'packages/1' },
      { version: 2, status: 'Approved', packageDir: 'packages/2' },
    ]);
    // WHEN
    await t.app.dx.models.refresh();
    // THEN
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({ reason: expect.stringMatching(reason), servingVersion: 'fixture-1' });
    expect(await version()).toBe('fixture-1');
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    // and the same refused package is not retried on every poll
    await t.app.dx.models.refresh();
    expect(refusals()).toHaveLength(1);
  });

  test('a registry file that is not JSON keeps the current model', async () => {
    // WHEN
    writeFileSync(join(t.home, 'registry', 'registry.json'), 'not json');
    await t.app.dx.models.refresh();
    // THEN
    expect(await version()).toBe('fixture-1');
    expect(t.logs.some((l) => l.msg === 'model registry unreadable; keeping the current model')).toBe(true);
  });
});
