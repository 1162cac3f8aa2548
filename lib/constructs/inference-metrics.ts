import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Namespace of the metrics the inference service emits as CloudWatch embedded metric format (EMF). */
export const INFERENCE_NAMESPACE = 'DxOps/Inference';

/** Feature families of the drift statistics (docs/model-package.md, "Drift baseline"). */
export const DRIFT_FAMILIES = [
  'ageBand',
  'sex',
  'phenotypeCount',
  'system',
  'confidence',
  'predictedCategory',
] as const;
export type DriftFamily = (typeof DRIFT_FAMILIES)[number];

/** Typed accessors for the service's EMF metrics of one stage: one name per concept, shared by alarms and dashboard. */
export class InferenceMetrics {
  constructor(private readonly stage: string) {}

  /** Population stability index of one feature family. */
  public driftPsi(family: DriftFamily, period = Duration.minutes(15)): cloudwatch.Metric {
    return this.metric('DriftPsi', { Family: family }, 'Maximum', period);
  }

  public specialistReviewRate(period = Duration.minutes(5)): cloudwatch.Metric {
    return this.metric('SpecialistReviewRate', {}, 'Average', period);
  }

  public predictions(category: 'common' | 'orphan', period = Duration.minutes(5)): cloudwatch.Metric {
    return this.metric('Predictions', { Category: category }, 'Sum', period);
  }

  public latency(statistic = 'p99', period = Duration.minutes(5)): cloudwatch.Metric {
    return this.metric('LatencyMs', {}, statistic, period);
  }

  private metric(name: string, dimensions: Record<string, string>, statistic: string, period: Duration) {
    return new cloudwatch.Metric({
      namespace: INFERENCE_NAMESPACE,
      metricName: name,
      dimensionsMap: { Stage: this.stage, ...dimensions },
      statistic,
      period,
    });
  }
}
