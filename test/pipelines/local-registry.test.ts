import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRegistry, RegistryError } from '../../pipelines/definition/local-registry';

function fixture() {
  const home = mkdtempSync(join(tmpdir(), 'dxops-registry-'));
  const pkg = join(home, 'pkg');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'manifest.json'), '{"schemaVersion":1}');
  return { home, pkg, registry: new LocalRegistry(home) };
}

describe('LocalRegistry', () => {
  test('registers versions as PendingManualApproval and serves the highest approved one', () => {
    // GIVEN two registered packages
    const { pkg, registry } = fixture();
    registry.register(pkg, { modelVersion: 'a', metrics: { m: 1 } });
    registry.register(pkg, { modelVersion: 'b', metrics: { m: 2 } });
    expect(registry.list().map((p) => [p.version, p.status])).toEqual([
      [1, 'PendingManualApproval'],
      [2, 'PendingManualApproval'],
    ]);
    expect(registry.approvedVersion()).toBeUndefined();
    // WHEN both are approved and then the newest is rejected
    registry.setStatus(1, 'Approved', 'ok');
    registry.setStatus(2, 'Approved', 'ok');
    expect(registry.approvedVersion()?.version).toBe(2);
    registry.setStatus(2, 'Rejected', 'worse on orphan cases');
    // THEN the previous approved version is served again, and the reason is kept
    expect(registry.approvedVersion()?.version).toBe(1);
    expect(registry.get(2).statusReason).toBe('worse on orphan cases');
  });

  test('copies the package into the registry', () => {
    const { pkg, registry } = fixture();
    const entry = registry.register(pkg, { modelVersion: 'a', metrics: {} });
    expect(readdirSync(registry.packagePath(entry))).toEqual(['manifest.json']);
  });

  test('an unknown version names the known ones', () => {
    const { pkg, registry } = fixture();
    expect(() => registry.get(1)).toThrow(/unknown version 1: the registry is empty/);
    registry.register(pkg, { modelVersion: 'a', metrics: {} });
    expect(() => registry.setStatus(7, 'Approved', 'x')).toThrow(
      new RegistryError('unknown version 7: known versions are 1'),
    );
  });

  test('refuses a directory that is not a model package', () => {
    const { home, registry } = fixture();
    expect(() => registry.register(home, { modelVersion: 'a', metrics: {} })).toThrow(/manifest.json is missing/);
  });

  test('writes atomically: no temporary file is left behind', () => {
    const { pkg, registry } = fixture();
    registry.register(pkg, { modelVersion: 'a', metrics: {} });
    expect(readdirSync(registry.dir).sort()).toEqual(['packages', 'registry.json']);
  });
});
