import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DRIFT_FAMILIES, type DriftFamily, type InferenceMetrics } from './inference-metrics';

export interface DriftAlarmsProps {
  readonly metrics: InferenceMetrics;
  /** PSI above which a family has drifted. */
  readonly threshold: number;
  /** Consecutive 15-minute periods above the threshold. */
  readonly periods: number;
  /** Topic notified when the composite alarm changes state. */
  readonly topic: sns.ITopic;
}

/**
 * One alarm per feature family on the service's `DriftPsi` metric and a composite alarm that is in ALARM when any
 * family is. Only the composite alarm notifies and triggers retraining: one drift episode, one message, one run.
 * Missing data (no traffic) is not drift.
 */
export class DriftAlarms extends Construct {
  public readonly familyAlarms: Record<DriftFamily, cloudwatch.Alarm>;
  public readonly composite: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, props: DriftAlarmsProps) {
    super(scope, id);
    if (!(props.threshold > 0)) {
      throw new Error(`DriftAlarms ${id}: threshold must be a positive PSI, got ${props.threshold}`);
    }
    if (!Number.isInteger(props.periods) || props.periods < 1) {
      throw new Error(`DriftAlarms ${id}: periods must be a positive integer, got ${props.periods}`);
    }
    const alarms = {} as Record<DriftFamily, cloudwatch.Alarm>;
    for (const family of DRIFT_FAMILIES) {
      alarms[family] = new cloudwatch.Alarm(this, `Drift-${family}`, {
        alarmDescription: `Input drift: PSI of ${family} above ${props.threshold} for ${props.periods} x 15 min`,
        metric: props.metrics.driftPsi(family, Duration.minutes(15)),
        threshold: props.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: props.periods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    this.familyAlarms = alarms;
    NagSuppressions.addResourceSuppressions(Object.values(alarms), [
      {
        id: 'HIPAA.Security-CloudWatchAlarmAction',
        reason: 'Family alarms feed the composite alarm, which notifies and starts retraining: one action per episode.',
      },
    ]);
    this.composite = new cloudwatch.CompositeAlarm(this, 'Drift', {
      alarmDescription: 'Input drift in at least one feature family: retraining is triggered',
      alarmRule: cloudwatch.AlarmRule.anyOf(...Object.values(alarms)),
    });
    this.composite.addAlarmAction(new actions.SnsAction(props.topic));
    this.composite.addOkAction(new actions.SnsAction(props.topic));
  }

  /** An EventBridge rule that sends the composite alarm's transitions to ALARM to `target`. */
  public onDrift(id: string, target: events.IRuleTarget): events.Rule {
    return new events.Rule(this, id, {
      description: 'Drift alarm entered ALARM: start retraining',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.composite.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [target],
    });
  }
}
