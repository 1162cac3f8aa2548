import { existsSync, lstatSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPrune } from '../../lib/cli/local-prune';
import { LocalRegistry } from '../../pipelines/definition/local-registry';
import type { RunRecord } from '../../pipelines/definition/local-runner';
import { runCli } from './run-cli';

function run(runId: string, status: RunRecord['status'], registeredVersion?: number): RunRecord {
  return { runId, status, startedAt: '2026-12-01T00:00:00Z', parameters: {}, steps: [], registeredVersion };
}

/** Four runs of 1,000 bytes each; run 2 registered version 1 (approved: served), run 4 version 2 (pending). */
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dxops-prune-'));
  const pkg = join(dir, 'pkg');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'manifest.json'), '{}');
  const registry = new LocalRegistry(dir);
  registry.register(pkg, { modelVersion: 'a', metrics: {} });
  registry.register(pkg, { modelVersion: 'b', metrics: {} });
  registry.setStatus(1, 'Approved', 'test');
  const runs = [run('r1', 'Failed'), run('r2', 'Succeeded', 1), run('r3', 'Succeeded'), run('r4', 'Succeeded', 2)];
  for (const r of runs) {
    const step = join(dir, 'runs', r.runId, 'Train', 'output');
    mkdirSync(step, { recursive: true });
    writeFileSync(join(dir, 'runs', r.runId, 'run.json'), JSON.stringify(r));
    writeFileSync(join(step, 'model.bin'), Buffer.alloc(1000 - JSON.stringify(r).length));
  }
  // the runner links step inputs to the raw zone: removing a run must not follow the link
  mkdirSync(join(dir, 'raw'));
  writeFileSync(join(dir, 'raw', 'patients.csv'), Buffer.alloc(10_000));
  symlinkSync(join(dir, 'raw'), join(dir, 'runs', 'r1', 'Train', 'input'));
  return dir;
}

describe('planPrune', () => {
  test('keeps the newest, the executing and the run of the served version, and names why', () => {
    const runs = [run('a', 'Succeeded', 1), run('b', 'Executing'), run('c', 'Failed'), run('d', 'Succeeded', 3)];
    const plan = planPrune(runs, 1, 1);
    expect(plan.map((d) => [d.runId, d.kept])).toEqual([
      ['a', 'produced served version 1'],
      ['b', 'executing'],
      ['c', undefined],
      ['d', 'one of the 1 newest'],
    ]);
    expect(
      planPrune(runs, undefined, 0)
        .filter((d) => !d.kept)
        .map((d) => d.runId),
    ).toEqual(['a', 'c', 'd']);
  });
});

describe('dxops pipeline prune --local', () => {
  test('--dry-run lists what would go and removes nothing', async () => {
    const dir = home();
    const { stdout } = await runCli(['--local', '--home', dir, 'pipeline', 'prune', '--keep', '1', '--dry-run']);
    expect(stdout).toMatch(/r1\s+Failed\s+-\s+0 MB\s+removed/);
    expect(stdout).toMatch(/r2\s+Succeeded\s+1\s+0 MB\s+kept: produced served version 1/);
    expect(stdout).toContain('would remove 2 of 4 runs');
    for (const r of ['r1', 'r2', 'r3', 'r4']) expect(existsSync(join(dir, 'runs', r))).toBe(true);
  });

  test("removes the old runs, keeps the served version's run, leaves the registry and linked inputs alone", async () => {
    const dir = home();
    const link = lstatSync(join(dir, 'runs', 'r1', 'Train', 'input')).size;
    const { stdout } = await runCli(['--local', '--home', dir, '--json', 'pipeline', 'prune', '--keep', '1']);
    const result = JSON.parse(stdout);
    expect(result.freedBytes).toBe(2000 + link); // r1 and r3, the link itself but not the 10 kB it points to
    expect(['r1', 'r2', 'r3', 'r4'].map((r) => existsSync(join(dir, 'runs', r)))).toEqual([false, true, false, true]);
    expect(existsSync(join(dir, 'raw', 'patients.csv'))).toBe(true);
    expect(new LocalRegistry(dir).list().map((p) => existsSync(new LocalRegistry(dir).packagePath(p)))).toEqual([
      true,
      true,
    ]);
    const list = await runCli(['--local', '--home', dir, 'pipeline', 'list']);
    expect(list.stdout).toMatch(/r2[\s\S]*r4/);
    expect(list.stdout).not.toContain('r1');
  });

  test('a bad --keep and the AWS mode are refused with the reason', async () => {
    const dir = home();
    const bad = await runCli(['--local', '--home', dir, 'pipeline', 'prune', '--keep', 'many']);
    expect(bad.error?.message).toBe('--keep many: expected a whole number of runs, 0 or more');
    const aws = await runCli(['--aws', '--region', 'eu-west-1', 'pipeline', 'prune']);
    expect(aws.error?.message).toBe('pipeline prune acts on the embedded default only');
    expect(existsSync(join(dir, 'runs', 'r1'))).toBe(true);
  });
});
