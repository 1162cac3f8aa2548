import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRegistry } from '../../pipelines/definition/local-registry';
import { runCli } from './run-cli';

function homeWithTwoVersions(): string {
  const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
  const pkg = join(home, 'pkg');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'manifest.json'), '{}');
  const registry = new LocalRegistry(home);
  registry.register(pkg, {
    modelVersion: 'v-a',
    metrics: { common: { complete: { top1: 0.981 } }, orphan: { simulated: { top10: 0.9 } } },
  });
  registry.register(pkg, {
    modelVersion: 'v-b',
    metrics: {
      common: { complete: { top1: 0.985 } },
      orphan: {
        simulated: { top10: 0.85 },
        timesplitCombined: { top10: 0.243 },
        lopo: { top10: 0.188 },
        simulatedFewFindings: { top10: 0.912 },
        vignettes: { top10: 0.85 },
      },
    },
  });
  return home;
}

describe('dxops on the embedded default', () => {
  test('models list shows the versions with their key metrics side by side', async () => {
    const home = homeWithTwoVersions();
    const { stdout } = await runCli(['--local', '--home', home, 'models', 'list']);
    expect(stdout).toMatch(/version\s+status\s+common\s+half-ev\s+kaggle½\s+orphan sim@10/);
    expect(stdout).toMatch(/1\s+PendingManualApproval\s+0\.981\s+-\s+-\s+0\.900/);
    expect(stdout).toMatch(/2\s+PendingManualApproval\s+0\.985\s+-\s+-\s+0\.850/);
    // the served-list, LOPO, few-findings and vignette views come last; a version evaluated before they existed shows '-'
    expect(stdout).toMatch(/orphan lit@10\s+lit served@10\s+lopo@10\s+orphan few@10\s+entry@10\s+vignettes@10/);
    expect(stdout).toMatch(
      /2\s+PendingManualApproval\s+0\.985\s+-\s+-\s+0\.850\s+-\s+0\.243\s+0\.188\s+0\.912\s+-\s+0\.850/,
    );
    expect(stdout).toMatch(/1\s+PendingManualApproval\s+0\.981\s+-\s+-\s+0\.900\s+-\s+-\s+-\s+-\s+-\s+-/);
  });

  test('approve then reject switches the served version, and --json is machine readable', async () => {
    const home = homeWithTwoVersions();
    await runCli(['--local', '--home', home, 'models', 'approve', '1', '--reason', 'better on orphan cases']);
    const approved = await runCli(['--local', '--home', home, '--json', 'models', 'approve', '2', '--reason', 'newer']);
    expect(JSON.parse(approved.stdout)).toMatchObject({ version: 2, status: 'Approved', servedVersion: 2 });
    const rejected = await runCli(['--local', '--home', home, 'models', 'reject', '2', '--reason', 'regressed']);
    expect(rejected.stdout).toContain('version 2 is now Rejected; the local service serves version 1');
    expect(new LocalRegistry(home).get(2).statusReason).toBe('regressed');
  });

  test('models show gives each evaluation set its calibration, and which way it is off', async () => {
    // GIVEN a version evaluated with calibration by set (the literature cases overconfident)
    const home = homeWithTwoVersions();
    const registry = new LocalRegistry(home);
    const pkg = join(home, 'pkg');
    registry.register(pkg, {
      modelVersion: 'v-c',
      metrics: {
        calibration: {
          ece: 0.024,
          bySet: {
            orphanSimulated: { n: 500, ece: 0.0906, meanTopProbability: 0.7254, topRight: 0.816 },
            timesplit: { n: 485, ece: 0.1796, meanTopProbability: 0.3536, topRight: 0.2021 },
          },
        },
      },
    });
    // WHEN
    const shown = await runCli(['--local', '--home', home, 'models', 'show', '3']);
    const older = await runCli(['--local', '--home', home, 'models', 'show', '1']);
    // THEN
    expect(shown.stdout).toMatch(/calibration\s+error\s+first shown \/ first right/);
    expect(shown.stdout).toMatch(/orphanSimulated\s+0\.091\s+0\.725 \/ 0\.816\s+\(n 500\)/);
    expect(shown.stdout).toMatch(/timesplit\s+0\.180\s+0\.354 \/ 0\.202\s+\(n 485\)/);
    // AND a version evaluated before calibration by set has no such block
    expect(older.stdout).not.toContain('calibration');
  });

  test('an unknown version says which ones exist and what to do next', async () => {
    const home = homeWithTwoVersions();
    const { error } = await runCli(['--local', '--home', home, 'models', 'show', '9']);
    expect(error?.message).toBe('unknown version 9: known versions are 1, 2');
    expect(error?.hint).toContain('dxops models list');
    const bad = await runCli(['--local', '--home', home, 'models', 'show', 'latest']);
    expect(bad.error?.message).toBe("'latest' is not a model version number");
  });

  test('pipeline status without runs tells how to start one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
    const { error } = await runCli(['--local', '--home', home, 'pipeline', 'status']);
    expect(error?.message).toBe('no pipeline runs yet');
    expect(error?.hint).toBe('start one with: dxops pipeline start --local');
  });

  test('data upload copies files into the raw zone the next run ingests', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
    const file = join(home, 'cases.jsonl');
    writeFileSync(file, '{}\n');
    const { stdout } = await runCli(['--local', '--home', home, 'data', 'upload', file, '--source', 'phenopackets']);
    expect(stdout).toContain('1 file(s) copied');
    expect(stdout).toContain(createHash('sha256').update('{}\n').digest('hex'));
    expect(existsSync(join(home, 'raw', 'phenopackets', 'cases.jsonl'))).toBe(true);
    const bad = await runCli(['--local', '--home', home, 'data', 'upload', file, '--source', 'emr']);
    expect(bad.error?.message).toBe("unknown source 'emr'");
  });
});

describe('dxops pipeline status --watch and data upload checksums (embedded default)', () => {
  const writeRun = (home: string, status: string, steps: { name: string; status: string; message?: string }[]) => {
    const dir = join(home, 'runs', '20261201-090000');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({ runId: '20261201-090000', status, startedAt: '2026-12-01T09:00:00Z', parameters: {}, steps }),
    );
  };

  const watch = (home: string, timeoutMinutes: string) =>
    runCli([
      '--local',
      '--home',
      home,
      'pipeline',
      'status',
      '--watch',
      '--interval',
      '0.05',
      '--timeout',
      timeoutMinutes,
    ]);

  test('--watch prints each step as it changes until the run ends, and fails when the run fails', async () => {
    // GIVEN a run in progress that another terminal's runner moves on while we watch
    const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
    writeRun(home, 'Executing', [{ name: 'Ingest', status: 'Executing' }]);
    const later = [
      () =>
        writeRun(home, 'Executing', [
          { name: 'Ingest', status: 'Succeeded' },
          { name: 'TrainModel', status: 'Executing' },
        ]),
      () =>
        writeRun(home, 'Failed', [
          { name: 'Ingest', status: 'Succeeded' },
          { name: 'TrainModel', status: 'Failed', message: 'out of memory\nTraceback ...' },
        ]),
    ];
    const timers = later.map((f, i) => setTimeout(f, 400 * (i + 1)));
    // WHEN
    const { stderr, stdout, error } = await watch(home, '1');
    timers.forEach(clearTimeout);
    // THEN
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'run 20261201-090000: Executing',
      '▶ Ingest executing',
      '✔ Ingest succeeded',
      '▶ TrainModel executing',
      '✘ TrainModel failed: out of memory',
      'run 20261201-090000 failed',
    ]);
    expect(stdout).toContain('run 20261201-090000: Failed');
    expect(error?.message).toBe('pipeline run 20261201-090000 Failed');
    expect(error?.hint).toContain(join(home, 'runs', '20261201-090000'));
  });

  test('--watch gives up after --timeout on a run that never ends', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
    writeRun(home, 'Executing', [{ name: 'Ingest', status: 'Executing' }]);
    const { error } = await watch(home, '0.005');
    expect(error?.message).toMatch(/is still Executing after/);
  });

  test('data upload of a directory reports the SHA-256 of each verified copy', async () => {
    // GIVEN
    const home = mkdtempSync(join(tmpdir(), 'dxops-cli-'));
    const dir = join(home, 'cases');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.json'), '{"id":"a"}');
    writeFileSync(join(dir, 'b.json'), '{"id":"b"}');
    // WHEN
    const { stdout } = await runCli([
      '--local',
      '--home',
      home,
      '--json',
      'data',
      'upload',
      dir,
      '--source',
      'phenopackets',
    ]);
    // THEN
    const { files } = JSON.parse(stdout);
    expect(files.map((f: { sha256: string }) => f.sha256)).toEqual(
      ['{"id":"a"}', '{"id":"b"}'].map((s) => createHash('sha256').update(s).digest('hex')),
    );
    expect(readFileSync(join(home, 'raw', 'phenopackets', 'b.json'), 'utf8')).toBe('{"id":"b"}');
    const missing = await runCli([
      '--local',
      '--home',
      home,
      'data',
      'upload',
      join(home, 'nope'),
      '--source',
      'kaggle',
    ]);
    expect(missing.error?.message).toBe(`${join(home, 'nope')} does not exist`);
    expect(missing.error?.hint).toBe('give a file or a directory of files');
  });
});
