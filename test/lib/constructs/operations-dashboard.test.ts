import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DriftAlarms } from '../../../lib/constructs/drift-alarms';
import { InferenceMetrics } from '../../../lib/constructs/inference-metrics';
import { OperationsDashboard } from '../../../lib/constructs/operations-dashboard';
import { ServiceAlarms } from '../../../lib/constructs/service-alarms';

describe('OperationsDashboard', () => {
  test('shows latency, errors, predictions by category, review rate, drift per family and retraining runs', () => {
    // GIVEN
    const stack = new Stack();
    const topic = new sns.Topic(stack, 'T');
    const metrics = new InferenceMetrics('prod');
    const loadBalancer = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Lb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dxops/0123456789abcdef',
      securityGroupId: 'sg-12345678',
    });
    const retraining = new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
    });
    // WHEN
    new OperationsDashboard(stack, 'Ops', {
      metrics,
      loadBalancer,
      retraining,
      driftAlarms: new DriftAlarms(stack, 'Drift', { metrics, threshold: 0.25, periods: 2, topic }),
      serviceAlarms: new ServiceAlarms(stack, 'Svc', { loadBalancer, latencyP99Ms: 400, http5xxPercent: 2, topic }),
    });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties);
    for (const text of [
      'LatencyMs',
      'HTTPCode_Target_5XX_Count',
      'Predictions',
      'orphan',
      'SpecialistReviewRate',
      'DriftPsi',
      'phenotypeCount',
      'ExecutionsStarted',
      'ExecutionsFailed',
      '"value\\":0.25',
    ]) {
      expect(body).toContain(text);
    }
  });
});
