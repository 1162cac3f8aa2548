import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ServiceAlarmsProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** p99 target response time threshold, in milliseconds. */
  readonly latencyP99Ms: number;
  /** Share of 5xx responses (target and load balancer) in percent of requests over 5 minutes. */
  readonly http5xxPercent: number;
  readonly topic: sns.ITopic;
}

/** Availability alarms of the service, measured at the load balancer: p99 latency and 5xx share. */
export class ServiceAlarms extends Construct {
  public readonly latency: cloudwatch.Alarm;
  public readonly errors: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    if (!(props.latencyP99Ms > 0) || !(props.http5xxPercent > 0 && props.http5xxPercent <= 100)) {
      throw new Error(
        `ServiceAlarms ${id}: latencyP99Ms must be > 0 and http5xxPercent in (0, 100], got ${props.latencyP99Ms} and ${props.http5xxPercent}`,
      );
    }
    const lb = props.loadBalancer.metrics;
    const period = Duration.minutes(5);
    this.latency = new cloudwatch.Alarm(this, 'LatencyP99', {
      alarmDescription: `p99 target response time above ${props.latencyP99Ms} ms for 15 minutes`,
      metric: lb.targetResponseTime({ statistic: 'p99', period }),
      threshold: props.latencyP99Ms / 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const share = new cloudwatch.MathExpression({
      label: '5xx share (%)',
      expression: '100 * (FILL(t5xx, 0) + FILL(e5xx, 0)) / FILL(requests, 1)',
      usingMetrics: {
        t5xx: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
        e5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
        requests: lb.requestCount({ period, statistic: 'Sum' }),
      },
      period,
    });
    this.errors = new cloudwatch.Alarm(this, 'Http5xx', {
      alarmDescription: `More than ${props.http5xxPercent}% of requests answered 5xx in 2 of 3 periods of 5 minutes`,
      metric: share,
      threshold: props.http5xxPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.latency, this.errors]) {
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      alarm.addOkAction(new actions.SnsAction(props.topic));
    }
  }
}
