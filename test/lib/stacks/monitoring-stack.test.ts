import { Match, Template } from 'aws-cdk-lib/assertions';
import { DRIFT_FAMILIES } from '../../../lib/constructs/inference-metrics';
import { nagFindings } from '../../helpers/nag';
import { fixturePlatform } from '../../helpers/platform';

describe('MonitoringStack', () => {
  const { monitoring, retraining } = fixturePlatform('prod');
  const template = Template.fromStack(monitoring);

  test('has a drift alarm per family, latency and 5xx alarms, one composite alarm, one dashboard and one rule', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', DRIFT_FAMILIES.length + 2);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('drift alarm → EventBridge rule → retraining state machine (wiring)', () => {
    const [compositeId] = Object.keys(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    const machineId = Object.keys(Template.fromStack(retraining).findResources('AWS::StepFunctions::StateMachine'))[0];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ 'Fn::GetAtt': [compositeId, 'Arn'] }],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [
        Match.objectLike({ Arn: { 'Fn::ImportValue': Match.stringLikeRegexp(`ExportsOutputRef${machineId}`) } }),
      ],
    });
  });

  test('alarm actions go to the encrypted notifications topic of the retraining stack', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('ExportsOutputRefNotifications') }],
    });
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(monitoring)).toEqual({ errors: [], warnings: [] });
  });
});
