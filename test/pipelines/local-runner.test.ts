import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalRegistry } from '../../pipelines/definition/local-registry';
import { type RunRecord, runLocal } from '../../pipelines/definition/local-runner';
import { writeFakeSteps } from './fake-steps';

const REPO = resolve(__dirname, '..', '..');
const PYTHON = process.env.DXOPS_TEST_PYTHON ?? 'python3';

async function run(env: Record<string, string> = {}): Promise<{ record: RunRecord; home: string; lines: string[] }> {
  const home = mkdtempSync(join(tmpdir(), 'dxops-runner-'));
  const stepsRoot = writeFakeSteps(join(home, 'steps'));
  const raw = join(home, 'raw-in');
  mkdirSync(raw);
  const lines: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const record = await runLocal({
      dxopsHome: home,
      repoRoot: REPO,
      python: PYTHON,
      stepsRoot,
      parameters: { RawDataUri: raw, ReferenceDataUri: raw },
      log: (l) => lines.push(l),
    });
    return { record, home, lines };
  } finally {
    process.env = saved;
  }
}

describe('local runner', () => {
  test('runs every step in order with the processing path contract and registers the package', async () => {
    // GIVEN fake steps WHEN the pipeline runs
    const { record, home, lines } = await run();
    // THEN every step succeeded in definition order and one PendingManualApproval package is registered
    expect(record.status).toBe('Succeeded');
    expect(record.steps.map((s) => [s.name, s.status])).toEqual([
      ['Ingest', 'Succeeded'],
      ['BuildKnowledgeBase', 'Succeeded'],
      ['TrainModel', 'Succeeded'],
      ['EvaluateModel', 'Succeeded'],
      ['CheckQuality', 'Succeeded'],
      ['ExportModel', 'Succeeded'],
      ['RegisterModel', 'Succeeded'],
    ]);
    const registry = new LocalRegistry(home);
    expect(registry.list()).toHaveLength(1);
    expect(registry.get(1).status).toBe('PendingManualApproval');
    // the train step read Ingest's output through the mapped input path
    const trainArgs = readFileSync(
      join(home, 'runs', record.runId, 'TrainModel', 'output', 'model', 'done.txt'),
      'utf8',
    );
    expect(trainArgs).toContain(join(home, 'runs', record.runId, 'TrainModel', 'input', 'processed'));
    expect(existsSync(join(home, 'runs', record.runId, 'TrainModel', 'input', 'processed'))).toBe(true);
    expect(lines).toContain('▶ Ingest');
    const saved = JSON.parse(readFileSync(join(home, 'runs', record.runId, 'run.json'), 'utf8'));
    expect(saved.status).toBe('Succeeded');
  });

  test('a failing step stops the run with a message naming the step and its error', async () => {
    const { record } = await run({ FAKE_FAIL: 'train/train.py' });
    expect(record.status).toBe('Failed');
    expect(record.failureReason).toMatch(/^TrainModel: exited with code 3/);
    expect(record.failureReason).toContain('boom: cannot read the input');
    expect(record.steps.find((s) => s.name === 'EvaluateModel')?.status).toBe('Skipped');
  });

  test('a failed quality gate ends in QualityGateFailed and registers nothing', async () => {
    const { record, home } = await run({ FAKE_GATE: 'fail' });
    expect(record.status).toBe('Failed');
    expect(record.failureReason).toContain('QualityGateFailed');
    expect(record.failureReason).toContain('common.complete.top1=0.5 is below the threshold');
    expect(new LocalRegistry(home).list()).toEqual([]);
  });

  test('the champion metrics parameter comes from the approved package', async () => {
    const first = await run();
    const registry = new LocalRegistry(first.home);
    registry.setStatus(1, 'Approved', 'test');
    const second = await runLocal({
      dxopsHome: first.home,
      repoRoot: REPO,
      python: PYTHON,
      stepsRoot: join(first.home, 'steps'),
      parameters: { RawDataUri: join(first.home, 'raw-in'), ReferenceDataUri: join(first.home, 'raw-in') },
      log: () => undefined,
    });
    expect(JSON.parse(second.parameters.ChampionMetrics)).toMatchObject({ common: { complete: { top1: 0.99 } } });
    expect(registry.list().map((p) => p.version)).toEqual([1, 2]);
  });
});
