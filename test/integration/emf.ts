import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

/** One PutMetricData call. */
export interface MetricPut {
  readonly Namespace: string;
  readonly MetricData: MetricDatum[];
}

/**
 * What CloudWatch Logs extracts from one embedded metric format line, as PutMetricData calls: one metric per
 * (directive, dimension set, metric), its dimension values and its value (or up to 100 values) read from the line's
 * root members, at `_aws.Timestamp` (epoch ms). A line CloudWatch would not extract a metric from throws, naming the
 * problem, so a test fed a malformed line fails instead of silently putting nothing.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfToMetricData(line: string): MetricPut[] {
  const root = JSON.parse(line) as Record<string, unknown> & {
    _aws?: {
      Timestamp?: unknown;
      CloudWatchMetrics?: { Namespace?: unknown; Dimensions?: unknown; Metrics?: { Name: string; Unit?: string }[] }[];
    };
  };
  const meta = root._aws;
  if (!meta || typeof meta.Timestamp !== 'number') throw new Error(`EMF: _aws.Timestamp (epoch ms) missing: ${line}`);
  if (!Array.isArray(meta.CloudWatchMetrics)) throw new Error(`EMF: _aws.CloudWatchMetrics missing: ${line}`);
  const timestamp = new Date(meta.Timestamp);
  return meta.CloudWatchMetrics.map((directive) => {
    if (typeof directive.Namespace !== 'string') throw new Error(`EMF: directive without a Namespace: ${line}`);
    const sets = directive.Dimensions as unknown;
    if (!Array.isArray(sets) || sets.some((s) => !Array.isArray(s) || s.length > 30))
      throw new Error(`EMF: Dimensions must be arrays of at most 30 names: ${line}`);
    const data: MetricDatum[] = [];
    for (const set of sets as string[][]) {
      const dimensions = set.map((name) => {
        const value = root[name];
        if (typeof value !== 'string') throw new Error(`EMF: dimension ${name} is not a string member of the line`);
        return { Name: name, Value: value };
      });
      for (const metric of directive.Metrics ?? []) {
        const value = root[metric.Name];
        const unit = (metric.Unit ?? 'None') as MetricDatum['Unit'];
        if (typeof value === 'number') {
          data.push({
            MetricName: metric.Name,
            Dimensions: dimensions,
            Timestamp: timestamp,
            Unit: unit,
            Value: value,
          });
        } else if (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'number')) {
          data.push({
            MetricName: metric.Name,
            Dimensions: dimensions,
            Timestamp: timestamp,
            Unit: unit,
            Values: value,
          });
        } else {
          throw new Error(`EMF: metric ${metric.Name} is not a number or an array of at most 100 numbers: ${line}`);
        }
      }
    }
    return { Namespace: directive.Namespace, MetricData: data };
  });
}
