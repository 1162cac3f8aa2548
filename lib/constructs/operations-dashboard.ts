import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { DriftAlarms } from './drift-alarms';
import { DRIFT_FAMILIES, type InferenceMetrics } from './inference-metrics';
import type { ServiceAlarms } from './service-alarms';

export interface OperationsDashboardProps {
  readonly metrics: InferenceMetrics;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly retraining: sfn.IStateMachine;
  readonly driftAlarms: DriftAlarms;
  readonly serviceAlarms: ServiceAlarms;
}

/**
 * One dashboard for the platform: latency and errors, predictions by category, specialist-review rate, drift per
 * feature family (with the alarm threshold) and retraining runs.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { metrics, loadBalancer, retraining } = props;
    const lb = loadBalancer.metrics;
    const day = Duration.days(1);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            width: 24,
            height: 3,
            alarms: [props.driftAlarms.composite, props.serviceAlarms.latency, props.serviceAlarms.errors],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Latency (ms): service p50/p99, load balancer p99',
            width: 8,
            left: [metrics.latency('p50'), metrics.latency('p99')],
            right: [lb.targetResponseTime({ statistic: 'p99' })],
          }),
          new cloudwatch.GraphWidget({
            title: 'Requests and errors',
            width: 8,
            left: [lb.requestCount({ statistic: 'Sum' })],
            right: [
              lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' }),
              lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { statistic: 'Sum' }),
              lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Predictions by category and specialist-review rate',
            width: 8,
            left: [metrics.predictions('common'), metrics.predictions('orphan')],
            right: [metrics.specialistReviewRate()],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Drift (PSI) per feature family',
            width: 16,
            left: DRIFT_FAMILIES.map((f) => metrics.driftPsi(f)),
            // Every family alarm has the same threshold.
            leftAnnotations: [props.driftAlarms.familyAlarms.ageBand.toAnnotation()],
          }),
          new cloudwatch.GraphWidget({
            title: 'Retraining runs (per day)',
            width: 8,
            left: [
              retraining.metricStarted({ period: day }),
              retraining.metricSucceeded({ period: day }),
              retraining.metricFailed({ period: day }),
            ],
          }),
        ],
      ],
    });
  }
}
