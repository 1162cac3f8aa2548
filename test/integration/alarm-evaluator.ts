import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type MetricAlarm,
  SetAlarmStateCommand,
  type Statistic,
} from '@aws-sdk/client-cloudwatch';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/**
 * CloudWatch's alarm evaluation, played against moto. moto 5.2.5 stores metric alarms and metric data and answers
 * DescribeAlarms, ListMetrics, GetMetricStatistics and SetAlarmState, but it never evaluates an alarm, has no
 * PutCompositeAlarm and emits no EventBridge events. This evaluator does those three things the way the CloudWatch
 * documentation describes them, reading everything else from moto:
 * - a metric alarm reads the metric with exactly its namespace, name and dimension set (see `datapoint`), one
 *   statistic per period over the last EvaluationPeriods periods, and goes to ALARM when
 *   DatapointsToAlarm (default: EvaluationPeriods) of them breach; missing periods count as TreatMissingData says;
 * - a composite alarm evaluates its AlarmRule (ALARM/OK/INSUFFICIENT_DATA("name or ARN"), AND, OR, NOT, TRUE, FALSE,
 *   parentheses) over the states of the alarms it names; its state is kept here;
 * - alarms on a percentile (ExtendedStatistic) or on metric math are not evaluated: they keep the state a test sets
 *   with SetAlarmState, and `announce` puts that change on the bus;
 * - every state change is put on the default event bus as the documented "CloudWatch Alarm State Change" event
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html), so moto's
 *   EventBridge matches it against the rules and delivers it to their targets.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface CompositeAlarmDefinition {
  readonly name: string;
  readonly arn: string;
  readonly rule: string;
  readonly description?: string;
}

export interface StateChange {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly previous: AlarmState;
  readonly current: AlarmState;
}

const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** Evaluates a composite AlarmRule against alarm states keyed by name and by ARN. */
export function evaluateAlarmRule(rule: string, states: ReadonlyMap<string, AlarmState>): boolean {
  const tokens = rule.match(/"(?:[^"\\]|\\.)*"|\(|\)|[A-Z_]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected))
      throw new Error(`AlarmRule: expected ${expected ?? 'a token'} at token ${i} of ${rule}`);
    return t;
  };
  const factor = (): boolean => {
    const t = take();
    if (t === 'NOT') return !factor();
    if (t === 'TRUE') return true;
    if (t === 'FALSE') return false;
    if (t === '(') {
      const value = expression();
      take(')');
      return value;
    }
    if ((STATES as readonly string[]).includes(t)) {
      take('(');
      const ref = JSON.parse(take()) as string;
      take(')');
      const state = states.get(ref);
      if (state === undefined) throw new Error(`AlarmRule names an unknown alarm: ${ref}`);
      return state === t;
    }
    throw new Error(`AlarmRule: unexpected ${t} in ${rule}`);
  };
  const term = (): boolean => {
    let value = factor();
    while (peek() === 'AND') {
      take();
      value = factor() && value;
    }
    return value;
  };
  const expression = (): boolean => {
    let value = term();
    while (peek() === 'OR') {
      take();
      value = term() || value;
    }
    return value;
  };
  const value = expression();
  if (i !== tokens.length) throw new Error(`AlarmRule: trailing ${tokens.slice(i).join(' ')} in ${rule}`);
  return value;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
  );
}

function breaches(alarm: MetricAlarm, value: number): boolean {
  const threshold = alarm.Threshold as number;
  switch (alarm.ComparisonOperator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      throw new Error(`comparison ${alarm.ComparisonOperator} of ${alarm.AlarmName} is not evaluated here`);
  }
}

export class AlarmEvaluator {
  private readonly compositeStates = new Map<string, AlarmState>();
  /** Every event put on the bus, in order. */
  public readonly events: Record<string, unknown>[] = [];

  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly eventBridge: EventBridgeClient,
    private readonly composites: readonly CompositeAlarmDefinition[],
  ) {
    // A new alarm starts in INSUFFICIENT_DATA.
    for (const c of composites) this.compositeStates.set(c.arn, 'INSUFFICIENT_DATA');
  }

  public compositeState(name: string): AlarmState | undefined {
    const c = this.composites.find((x) => x.name === name);
    return c && this.compositeStates.get(c.arn);
  }

  /** One evaluation of every alarm at `at`; returns the state changes (each also put on the bus as an event). */
  public async evaluate(at: Date): Promise<StateChange[]> {
    const { MetricAlarms = [] } = await this.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'] }),
    );
    const changes: StateChange[] = [];
    const states = new Map<string, AlarmState>();
    for (const alarm of MetricAlarms) {
      const previous = alarm.StateValue as AlarmState;
      // Percentile and metric-math alarms are not evaluated here: they keep the state a test sets.
      const current = alarm.Statistic ? await this.metricAlarmState(alarm, at) : previous;
      if (current !== previous) {
        await this.cloudwatch.send(
          new SetAlarmStateCommand({
            AlarmName: alarm.AlarmName,
            StateValue: current,
            StateReason: `evaluated at ${at.toISOString()}`,
          }),
        );
        changes.push({ alarmName: alarm.AlarmName!, alarmArn: alarm.AlarmArn!, previous, current });
        await this.putEvent(at, alarm.AlarmName!, alarm.AlarmArn!, previous, current, this.metricConfiguration(alarm));
      }
      states.set(alarm.AlarmName!, current).set(alarm.AlarmArn!, current);
    }
    for (const c of this.composites) {
      const previous = this.compositeStates.get(c.arn) as AlarmState;
      const current: AlarmState = evaluateAlarmRule(c.rule, states) ? 'ALARM' : 'OK';
      if (current !== previous) {
        this.compositeStates.set(c.arn, current);
        changes.push({ alarmName: c.name, alarmArn: c.arn, previous, current });
        await this.putEvent(at, c.name, c.arn, previous, current, { alarmRule: c.rule, description: c.description });
      }
      states.set(c.name, current).set(c.arn, current);
    }
    return changes;
  }

  /** Puts the state change of an alarm a test set with SetAlarmState on the bus, as CloudWatch would. */
  public async announce(at: Date, alarm: MetricAlarm, previous: AlarmState): Promise<void> {
    const current = alarm.StateValue as AlarmState;
    await this.putEvent(at, alarm.AlarmName!, alarm.AlarmArn!, previous, current, this.metricConfiguration(alarm));
  }

  /** The state the alarm's last EvaluationPeriods periods before `at` give. */
  private async metricAlarmState(alarm: MetricAlarm, at: Date): Promise<AlarmState> {
    const period = alarm.Period as number;
    const periods = alarm.EvaluationPeriods as number;
    const needed = alarm.DatapointsToAlarm ?? periods;
    const values: (number | undefined)[] = [];
    for (let i = 0; i < periods; i++) {
      const end = new Date(at.getTime() - i * period * 1000);
      values.push(await this.datapoint(alarm, new Date(end.getTime() - period * 1000), end));
    }
    const treat = alarm.TreatMissingData ?? 'missing';
    const breaching = values.filter((v) => (v === undefined ? treat === 'breaching' : breaches(alarm, v))).length;
    if (breaching >= needed) return 'ALARM';
    if (values.every((v) => v === undefined)) {
      if (treat === 'missing') return 'INSUFFICIENT_DATA';
      if (treat === 'ignore') return alarm.StateValue as AlarmState;
    }
    return 'OK';
  }

  /**
   * The alarm's statistic over [start, end) of exactly its metric, or undefined when there is no data. moto's
   * GetMetricStatistics also matches metrics with more dimensions; its GetMetricData matches the whole dimension set
   * but ignores the namespace when dimensions are given, and compares the sets in an order its (broken) Dimension
   * sort leaves as given, so every order of the alarm's dimensions is asked. A period has a datapoint here only when
   * both calls find one: CloudWatch's exact match (namespace, name, whole dimension set), as long as a test does not
   * put the alarm's metric and another one into the same period.
   */
  private async datapoint(alarm: MetricAlarm, start: Date, end: Date): Promise<number | undefined> {
    const stat = alarm.Statistic as Statistic;
    const metric = { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions ?? [] };
    const inNamespace = await this.cloudwatch.send(
      new GetMetricStatisticsCommand({
        ...metric,
        StartTime: start,
        EndTime: end,
        Period: alarm.Period,
        Statistics: [stat],
      }),
    );
    if (!inNamespace.Datapoints?.length) return undefined;
    for (const dimensions of permutations(metric.Dimensions)) {
      const exact = await this.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [
            {
              Id: 'm',
              MetricStat: { Metric: { ...metric, Dimensions: dimensions }, Period: alarm.Period, Stat: stat },
              ReturnData: true,
            },
          ],
        }),
      );
      const [result] = exact.MetricDataResults ?? [];
      // moto also answers the period that starts at EndTime
      const values = (result?.Values ?? []).filter((_, k) => (result?.Timestamps?.[k]?.getTime() ?? 0) < end.getTime());
      if (values.length) return values[0];
    }
    return undefined;
  }

  private metricConfiguration(alarm: MetricAlarm): Record<string, unknown> {
    return {
      description: alarm.AlarmDescription,
      metrics: [
        {
          id: 'm1',
          metricStat: {
            metric: {
              namespace: alarm.Namespace,
              name: alarm.MetricName,
              dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name, d.Value])),
            },
            period: alarm.Period,
            stat: alarm.Statistic,
          },
          returnData: true,
        },
      ],
    };
  }

  private async putEvent(
    at: Date,
    alarmName: string,
    alarmArn: string,
    previous: AlarmState,
    current: AlarmState,
    configuration: Record<string, unknown>,
  ): Promise<void> {
    const reason = `evaluated at ${at.toISOString()}`;
    const detail = {
      alarmName,
      state: { value: current, reason, timestamp: at.toISOString() },
      previousState: { value: previous, reason: 'previous evaluation', timestamp: at.toISOString() },
      configuration,
    };
    const entry = {
      Source: 'aws.cloudwatch',
      DetailType: 'CloudWatch Alarm State Change',
      Resources: [alarmArn],
      Detail: JSON.stringify(detail),
      Time: at,
    };
    const res = await this.eventBridge.send(new PutEventsCommand({ Entries: [entry] }));
    if (res.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(res.Entries)}`);
    this.events.push({ ...entry, Detail: detail });
  }
}
