import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DriftAlarms, type DriftAlarmsProps } from '../../../lib/constructs/drift-alarms';
import { DRIFT_FAMILIES, INFERENCE_NAMESPACE, InferenceMetrics } from '../../../lib/constructs/inference-metrics';

function build(overrides: Partial<DriftAlarmsProps> = {}) {
  const stack = new Stack();
  const alarms = new DriftAlarms(stack, 'DriftAlarms', {
    metrics: new InferenceMetrics('dev'),
    threshold: 0.2,
    periods: 4,
    topic: new sns.Topic(stack, 'Topic'),
    ...overrides,
  });
  return { stack, alarms };
}

describe('DriftAlarms', () => {
  test('one alarm per feature family on the EMF DriftPsi metric', () => {
    const template = Template.fromStack(build().stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', DRIFT_FAMILIES.length);
    for (const family of DRIFT_FAMILIES) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: INFERENCE_NAMESPACE,
        MetricName: 'DriftPsi',
        Dimensions: Match.arrayWith([
          { Name: 'Family', Value: family },
          { Name: 'Stage', Value: 'dev' },
        ]),
        Threshold: 0.2,
        EvaluationPeriods: 4,
        Period: 900,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  test('a composite alarm over all families notifies the topic', () => {
    const template = Template.fromStack(build().stack);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    const rule = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0].Properties.AlarmRule,
    );
    expect(rule.match(/ALARM\(/g)).toHaveLength(DRIFT_FAMILIES.length);
    expect(rule.match(/ OR /g)).toHaveLength(DRIFT_FAMILIES.length - 1);
  });

  test('onDrift routes only ALARM transitions of the composite alarm to the target', () => {
    const { stack, alarms } = build();
    const machine = new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
    });
    alarms.onDrift('Retrain', new targets.SfnStateMachine(machine));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftAlarmsDrift'), 'Arn'] }],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^M') } })],
    });
  });

  test('rejects a non-positive threshold, naming it', () => {
    expect(() => build({ threshold: 0 })).toThrow(/threshold must be a positive PSI, got 0/);
  });
});
