import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceAlarms } from '../../../lib/constructs/service-alarms';

function build(latencyP99Ms = 500, http5xxPercent = 1) {
  const stack = new Stack();
  const lb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Lb', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dxops/0123456789abcdef',
    securityGroupId: 'sg-12345678',
  });
  new ServiceAlarms(stack, 'Alarms', {
    loadBalancer: lb,
    latencyP99Ms,
    http5xxPercent,
    topic: new sns.Topic(stack, 'T'),
  });
  return Template.fromStack(stack);
}

describe('ServiceAlarms', () => {
  test('alarms on p99 target response time in seconds and on the 5xx share, both notifying the topic', () => {
    const template = build();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 0.5,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^T') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      DatapointsToAlarm: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * (FILL(t5xx, 0) + FILL(e5xx, 0)) / FILL(requests, 1)' }),
      ]),
      OKActions: [{ Ref: Match.stringLikeRegexp('^T') }],
    });
  });

  test('rejects a 5xx share above 100 percent, naming it', () => {
    expect(() => build(500, 150)).toThrow(/http5xxPercent in \(0, 100\], got 500 and 150/);
  });
});
