import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { acknowledgePlatformWide } from '../compliance';
import type { StageConfig } from '../config';
import { DriftAlarms } from '../constructs/drift-alarms';
import { InferenceMetrics } from '../constructs/inference-metrics';
import { OperationsDashboard } from '../constructs/operations-dashboard';
import type { RetrainingWorkflow } from '../constructs/retraining-workflow';
import { ServiceAlarms } from '../constructs/service-alarms';

export interface MonitoringStackProps extends StackProps {
  readonly config: StageConfig;
  /** The service's load balancer (serving stack). */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The retraining workflow the drift alarm starts (retraining stack). */
  readonly retraining: RetrainingWorkflow;
  /** Encrypted topic of the alarm actions (retraining stack). */
  readonly topic: sns.ITopic;
}

/**
 * Observability and the drift half of the loop: the dashboard, drift alarms from the service's EMF metrics with their
 * composite, latency and 5xx alarms, SNS alarm actions, and the rule that sends the composite drift alarm's ALARM
 * transitions to the retraining workflow.
 */
export class MonitoringStack extends Stack {
  public readonly drift: DriftAlarms;
  public readonly service: ServiceAlarms;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    acknowledgePlatformWide(this);
    const { config } = props;
    const metrics = new InferenceMetrics(config.stage);
    this.drift = new DriftAlarms(this, 'DriftAlarms', {
      metrics,
      threshold: config.alarms.driftPsi,
      periods: config.alarms.driftPeriods,
      topic: props.topic,
    });
    this.drift.onDrift('RetrainOnDrift', props.retraining.ruleTarget());
    this.service = new ServiceAlarms(this, 'ServiceAlarms', {
      loadBalancer: props.loadBalancer,
      latencyP99Ms: config.alarms.latencyP99Ms,
      http5xxPercent: config.alarms.http5xxPercent,
      topic: props.topic,
    });
    new OperationsDashboard(this, 'Operations', {
      metrics,
      loadBalancer: props.loadBalancer,
      retraining: props.retraining.stateMachine,
      driftAlarms: this.drift,
      serviceAlarms: this.service,
    });
  }
}
