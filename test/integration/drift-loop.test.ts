import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { loadConfig } from '../../containers/inference/src/config';
import { buildStageConfig } from '../../lib/config';
import { DRIFT_FAMILIES } from '../../lib/constructs/inference-metrics';
import { DRAVET_LIKE, startApp, type TestApp } from '../containers/inference/helpers';
import { type Moto, startMoto } from '../helpers/moto';
import { fixturePlatform } from '../helpers/platform';
import { AlarmEvaluator } from './alarm-evaluator';
import { emfToMetricData } from './emf';
import { MonitoringTemplate } from './monitoring-template';
import { REGION, type RetrainingHarness, retrainingHarness } from './retraining-harness';

// biome-ignore lint/suspicious/noExplicitAny: event and template JSON are untyped
type Json = any;

const STAGE = 'prod';
const MINUTE = 60_000;

/**
 * The drift half of the loop on moto, from the templates the platform synthesizes: the service's EMF lines become
 * the metric data the synthesized drift alarms read, the composite alarm's ALARM transition becomes the documented
 * "CloudWatch Alarm State Change" event, the synthesized rule's pattern (in moto's EventBridge) delivers it, and the
 * delivered event is the input of the synthesized retraining state machine. moto cannot deliver to a Step Functions
 * target (its PutEvents raises NotImplementedError for one) and its TestEventPattern is a stub, so the rule's target
 * is an SQS queue here, with the synthesized target's retry policy; the message is exactly what Step Functions would
 * get as execution input (the SfnStateMachine target passes the whole event).
 */
describe('drift alarm → EventBridge rule → retraining, on moto with the synthesized templates', () => {
  const config = buildStageConfig(STAGE);
  const platform = fixturePlatform(STAGE);
  const template = new MonitoringTemplate(platform, REGION);
  const familyAlarms = template
    .resources('AWS::CloudWatch::Alarm')
    .filter((a) => a.properties.Dimensions?.some((d: Json) => d.Name === 'Family'));
  const [composite] = template.resources('AWS::CloudWatch::CompositeAlarm');
  const [rule] = template.resources('AWS::Events::Rule');
  const [latency] = template.resources('AWS::CloudWatch::Alarm').filter((a) => a.properties.ExtendedStatistic);
  const serviceEnv = template.serviceEnvironment();

  let moto: Moto;
  let cw: CloudWatchClient;
  let sqs: SQSClient;
  let queueUrl: string;
  let evaluator: AlarmEvaluator;
  let harness: RetrainingHarness;
  let drifted: TestApp;
  const apps: TestApp[] = [];

  const clientConfig = () => ({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

  /** A service with the fixture model, the synthesized STAGE and METRICS_NAMESPACE, or `env` over them. */
  const service = async (env: Record<string, string> = {}) => {
    const app = await startApp({ STAGE: serviceEnv.STAGE, METRICS_NAMESPACE: serviceEnv.METRICS_NAMESPACE, ...env });
    apps.push(app);
    return app;
  };
  /** The service's EMF lines every 5 minutes in [from, to), as the container's emitter writes them. */
  const emfLines = (app: TestApp, from: number, to: number, env: Record<string, string> = {}) => {
    const cfg = loadConfig({ DXOPS_HOME: app.home, ...serviceEnv, HOST: '127.0.0.1', ...env });
    const lines: string[] = [];
    for (let t = from; t < to; t += 5 * MINUTE)
      lines.push(...app.app.dx.metrics.emfLines(cfg.metricsNamespace, cfg.stage, t));
    return lines;
  };
  /** What CloudWatch Logs does with EMF lines: PutMetricData. */
  const putEmf = async (lines: string[]) => {
    for (const put of lines.flatMap(emfToMetricData)) await cw.send(new PutMetricDataCommand(put));
  };
  /** Every message the rule delivered since the last call (deleted once read). */
  const delivered = async (): Promise<Json[]> => {
    const out: Json[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (!res.Messages?.length) break;
      for (const m of res.Messages) {
        out.push(JSON.parse(m.Body as string));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    return out;
  };
  const alarms = async (): Promise<MetricAlarm[]> =>
    (await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'] }))).MetricAlarms ?? [];
  const familyStates = async () =>
    Object.fromEntries(
      (await alarms())
        .filter((a) => a.MetricName === 'DriftPsi')
        .map((a) => [a.Dimensions?.find((d) => d.Name === 'Family')?.Value, a.StateValue]),
    );
  /** PSI per family in the DriftPsi lines of `lines`. */
  const psiOf = (lines: string[]) =>
    Object.fromEntries(
      lines
        .map((l) => JSON.parse(l))
        .filter((l) => l.DriftPsi !== undefined)
        .map((l) => [l.Family, l.DriftPsi as number]),
    );

  // One timeline in the past, blocks of `periods` periods: episode 1, recovery, episode 2, recovery, mismatches.
  let period: number;
  let periods: number;
  let base: number;

  beforeAll(async () => {
    moto = await startMoto();
    expect(new URL(moto.endpoint).hostname).toBe('127.0.0.1');
    cw = new CloudWatchClient(clientConfig());
    sqs = new SQSClient(clientConfig());
    const events = new EventBridgeClient(clientConfig());
    // The alarms as synthesized (moto has no PutCompositeAlarm: the evaluator keeps the composite alarm).
    for (const a of [...familyAlarms, latency]) {
      const p = template.resolve(a.properties);
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: template.alarmName(a.id),
          AlarmDescription: p.AlarmDescription,
          Namespace: p.Namespace,
          MetricName: p.MetricName,
          Dimensions: p.Dimensions,
          Statistic: p.Statistic,
          ExtendedStatistic: p.ExtendedStatistic,
          Period: p.Period,
          EvaluationPeriods: p.EvaluationPeriods,
          DatapointsToAlarm: p.DatapointsToAlarm,
          Threshold: p.Threshold,
          ComparisonOperator: p.ComparisonOperator,
          TreatMissingData: p.TreatMissingData,
          AlarmActions: p.AlarmActions,
        }),
      );
    }
    evaluator = new AlarmEvaluator(cw, events, [
      {
        name: template.alarmName(composite.id),
        arn: template.alarmArn(composite.id),
        rule: template.resolve(composite.properties.AlarmRule),
        description: composite.properties.AlarmDescription,
      },
    ]);
    // The rule as synthesized; its target an SQS queue in place of the state machine (see above).
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'retraining-target' }));
    queueUrl = queue.QueueUrl as string;
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const [target] = rule.properties.Targets;
    await events.send(
      new PutRuleCommand({
        Name: rule.id,
        EventPattern: JSON.stringify(template.resolve(rule.properties.EventPattern)),
        State: rule.properties.State,
        Description: rule.properties.Description,
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: rule.id,
        Targets: [
          {
            Id: target.Id,
            Arn: attributes.Attributes?.QueueArn,
            RetryPolicy: target.RetryPolicy,
            Input: target.Input,
            InputPath: target.InputPath,
            InputTransformer: target.InputTransformer,
          },
        ],
      }),
    );
    // The platform's own retraining state machine, its pipeline named as the ML stack names it.
    harness = await retrainingHarness(
      moto,
      { table: 'dxops-prod-runs', pipeline: platform.ml.pipelineName, group: config.ml.modelPackageGroupName },
      platform.retraining,
    );
    const [first] = (await alarms()).filter((a) => a.MetricName === 'DriftPsi');
    period = (first.Period as number) * 1000;
    periods = first.EvaluationPeriods as number;
    base = Math.floor(Date.now() / MINUTE) * MINUTE - (8 * periods + 1) * period;
    // A shifted stream: every patient is a 3-year-old with the same findings; the sexes in the baseline's mix.
    drifted = await service();
    for (let i = 0; i < 60; i++) {
      const sex = i % 10 === 0 ? undefined : i % 2 ? 'female' : 'male';
      const payload = { ...DRAVET_LIKE, sex };
      const res = await drifted.app.inject({ method: 'POST', url: '/v1/diagnoses', payload });
      expect(res.statusCode).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    for (const t of apps) await t.app.close();
    await moto?.stop();
  });

  test('the synthesized drift alarms are in moto: one per family on DriftPsi, as the stage config says', async () => {
    // WHEN
    const drift = (await alarms()).filter((a) => a.MetricName === 'DriftPsi');
    // THEN
    expect(drift.map((a) => a.Dimensions?.find((d) => d.Name === 'Family')?.Value).sort()).toEqual(
      [...DRIFT_FAMILIES].sort(),
    );
    for (const a of drift) {
      expect(a).toMatchObject({
        Namespace: 'DxOps/Inference',
        Statistic: 'Maximum',
        Period: 900,
        EvaluationPeriods: config.alarms.driftPeriods,
        Threshold: config.alarms.driftPsi,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(a.Dimensions?.find((d) => d.Name === 'Stage')?.Value).toBe(STAGE);
      expect(a.Dimensions).toHaveLength(2);
    }
    expect(evaluator.compositeState(template.alarmName(composite.id))).toBe('INSUFFICIENT_DATA');
  });

  test('the rule matches only the composite alarm entering ALARM, and its real target is the state machine', () => {
    expect(template.resolve(rule.properties.EventPattern)).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [template.alarmArn(composite.id)],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(rule.properties.Targets).toHaveLength(1);
    expect(rule.properties.Targets[0].Arn['Fn::ImportValue']).toContain(`ExportsOutputRef${template.stateMachineId()}`);
  });

  test('the EMF of a shifted stream is the metric each family alarm watches; the composite alarm fires once', async () => {
    // GIVEN the service's EMF lines for four periods of shifted traffic, put as CloudWatch Logs would
    const lines = emfLines(drifted, base, base + periods * period);
    await putEmf(lines);
    const psi = psiOf(lines);
    const over = DRIFT_FAMILIES.filter((f) => psi[f] > config.alarms.driftPsi);
    expect(over).toContain('ageBand');
    expect(over.length).toBeLessThan(DRIFT_FAMILIES.length);

    // WHEN alarms are evaluated one period short of the alarm's periods
    await evaluator.evaluate(new Date(base + (periods - 1) * period));
    // THEN nothing is in ALARM yet (the first period before the data is missing: not breaching)
    expect(Object.values(await familyStates()).every((s) => s === 'OK')).toBe(true);
    expect(evaluator.compositeState(template.alarmName(composite.id))).toBe('OK');
    expect(await delivered()).toEqual([]);

    // WHEN the fourth period has passed, and evaluation goes on every minute while the drift lasts
    const at = base + periods * period;
    const changes = await evaluator.evaluate(new Date(at));
    for (let m = 1; m <= 3; m++) expect(await evaluator.evaluate(new Date(at + m * MINUTE))).toEqual([]);

    // THEN exactly the families over the threshold are in ALARM, so is the composite, and the rule delivered once
    const states = await familyStates();
    for (const f of DRIFT_FAMILIES) expect([f, states[f]]).toEqual([f, over.includes(f) ? 'ALARM' : 'OK']);
    expect(changes.map((c) => c.current)).toEqual([...over.map(() => 'ALARM'), 'ALARM']);
    const messages = await delivered();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      resources: [template.alarmArn(composite.id)],
      detail: {
        alarmName: template.alarmName(composite.id),
        state: { value: 'ALARM' },
        previousState: { value: 'OK' },
      },
    });
    // the family alarms' own ALARM events went to the bus too, and the rule did not deliver them
    expect(evaluator.events.filter((e) => (e.Detail as Json).state.value === 'ALARM')).toHaveLength(over.length + 1);

    // WHEN the delivered event starts the synthesized retraining state machine
    const run = await harness.run(messages[0]);
    // THEN one pipeline run, triggered by the alarm
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.filter((s) => s === 'StartPipeline')).toHaveLength(1);
    expect((await harness.lock()).trigger.S).toBe('CloudWatch Alarm State Change');
    expect(await harness.packageStatuses()).toEqual(['PendingManualApproval']);
  }, 60_000);

  test('recovery (a reloaded model starts an empty window): the composite OK event is not delivered', async () => {
    // GIVEN a fresh service (what a hot reload gives: a new drift window) emitting for four periods
    const reloaded = await service();
    const from = base + periods * period;
    const lines = emfLines(reloaded, from, from + periods * period);
    expect(psiOf(lines)).toEqual({});
    await putEmf(lines);
    // WHEN
    const changes = await evaluator.evaluate(new Date(from + periods * period));
    // THEN
    expect(changes.at(-1)).toMatchObject({ previous: 'ALARM', current: 'OK' });
    expect(evaluator.compositeState(template.alarmName(composite.id))).toBe('OK');
    expect(await delivered()).toEqual([]);
  }, 60_000);

  test('a second drift episode in the cooldown is delivered once and ends in SkippedLocked', async () => {
    // GIVEN four more periods of shifted traffic
    const from = base + 2 * periods * period;
    await putEmf(emfLines(drifted, from, from + periods * period));
    // WHEN
    await evaluator.evaluate(new Date(from + periods * period));
    const messages = await delivered();
    // THEN
    expect(messages).toHaveLength(1);
    const run = await harness.run(messages[0]);
    expect(run.path).toEqual(['Prepare', 'AcquireLock', 'SkippedLocked']);
    expect(await harness.packageStatuses()).toHaveLength(1);
  }, 60_000);

  test('another alarm entering ALARM (p99 latency) is not delivered', async () => {
    // GIVEN the composite back to OK (no drift data for four periods)
    await evaluator.evaluate(new Date(base + 4 * periods * period));
    await delivered();
    const [alarm] = (await alarms()).filter((a) => a.ExtendedStatistic === 'p99');
    // WHEN CloudWatch puts the latency alarm in ALARM
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarm.AlarmName, StateValue: 'ALARM', StateReason: 'p99' }));
    const [now] = (await alarms()).filter((a) => a.AlarmName === alarm.AlarmName);
    await evaluator.announce(new Date(base + 4 * periods * period), now, alarm.StateValue as 'OK');
    // THEN
    expect(now.StateValue).toBe('ALARM');
    expect(await delivered()).toEqual([]);
  }, 60_000);

  test.each([
    ['another stage', 0, { STAGE: 'staging' }, (l: string) => l],
    ['another namespace', 1, { METRICS_NAMESPACE: 'DxOps/Other' }, (l: string) => l],
    [
      'an extra dimension',
      2,
      {},
      (l: string) => {
        const j = JSON.parse(l);
        j._aws.CloudWatchMetrics[0].Dimensions = [[...j._aws.CloudWatchMetrics[0].Dimensions[0], 'ModelVersion']];
        return JSON.stringify({ ...j, ModelVersion: 'fixture-1' });
      },
    ],
  ])(
    'drifted EMF with %s does not reach the prod alarms',
    async (_what, block, env, change) => {
      // GIVEN the composite OK and four periods (of their own) of drifted EMF that differ from what the alarms watch
      const from = base + (5 + block) * periods * period;
      await evaluator.evaluate(new Date(from));
      const lines = emfLines(drifted, from, from + periods * period, env).map(change);
      expect(psiOf(lines).ageBand).toBeGreaterThan(config.alarms.driftPsi);
      // WHEN
      await putEmf(lines);
      await evaluator.evaluate(new Date(from + periods * period));
      // THEN
      expect(Object.values(await familyStates()).every((s) => s === 'OK')).toBe(true);
      expect(evaluator.compositeState(template.alarmName(composite.id))).toBe('OK');
      expect(await delivered()).toEqual([]);
    },
    60_000,
  );
});
