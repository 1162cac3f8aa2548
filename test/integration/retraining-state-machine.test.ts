import { aslErrors } from '../helpers/asl';
import { type Moto, startMoto } from '../helpers/moto';
import { type RetrainingHarness, retrainingHarness } from './retraining-harness';

describe('the retraining state machine, executed against moto', () => {
  let moto: Moto;
  let h: RetrainingHarness;
  const alarm = { 'detail-type': 'CloudWatch Alarm State Change', detail: { alarmName: 'dxops-drift' } };

  beforeAll(async () => {
    moto = await startMoto();
    expect(new URL(moto.endpoint).hostname).toBe('127.0.0.1');
    h = await retrainingHarness(moto);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  test('the synthesized definition is valid ASL', () => {
    expect(aslErrors(h.definition)).toBe('');
  });

  test('a failed pipeline records the failure, releases the lock, notifies and fails the run', async () => {
    // GIVEN a pipeline run that ends Failed
    h.setPipelineOutcome('Failed');
    // WHEN an alarm starts a run
    const result = await h.run(alarm);
    // THEN
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RetrainingFailed');
    expect(result.path).toEqual(expect.arrayContaining(['RecordFailure', 'ReleaseLock', 'NotifyFailure']));
    expect(await h.lock()).toBeUndefined();
    expect(h.published.at(-1).Subject).toBe('DxOps retraining failed');
    expect(await h.packageStatuses()).toHaveLength(0);
  }, 30_000);

  test('one alarm starts one run, which leaves a PendingManualApproval package and holds the cooldown', async () => {
    // GIVEN a pipeline run that succeeds (the failed run above released the lock)
    h.setPipelineOutcome('Succeeded');
    // WHEN an alarm starts a run
    const result = await h.run(alarm);
    // THEN
    expect(result.status).toBe('SUCCEEDED');
    expect(result.path).toEqual(expect.arrayContaining(['StartPipeline', 'RecordSuccess', 'StartCooldown']));
    expect(result.path.filter((s) => s === 'StartPipeline')).toHaveLength(1);
    expect(result.variables.pipelineExecutionArn).toContain(h.pipelineName);
    const held = await h.lock();
    expect(Number(held.lockedUntil.N)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(held.trigger.S).toBe('CloudWatch Alarm State Change');
    expect(h.published.at(-1).Subject).toBe('DxOps retraining succeeded');
    expect(await h.packageStatuses()).toEqual(['PendingManualApproval']);
  }, 30_000);

  test('a second alarm during the cooldown ends in SkippedLocked without starting the pipeline', async () => {
    // GIVEN the cooldown held by the successful run above
    const before = h.published.length;
    // WHEN another alarm arrives
    const result = await h.run(alarm);
    // THEN
    expect(result.status).toBe('SUCCEEDED');
    expect(result.path).toEqual(['Prepare', 'AcquireLock', 'SkippedLocked']);
    expect(h.published).toHaveLength(before);
    expect(await h.packageStatuses()).toHaveLength(1);
  }, 30_000);
});
