import { Template } from 'aws-cdk-lib/assertions';
import type { Platform } from '../../lib/platform';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
type Json = any;

export const ACCOUNT = '123456789012';

/** A synthesized resource of the monitoring stack with its logical id. */
export interface Synthesized {
  readonly id: string;
  readonly properties: Json;
}

/**
 * The drift half of the loop as the platform synthesizes it: the metric alarms, the composite drift alarm, the rule
 * that starts retraining, and the service's environment (serving stack task definition), with intrinsic functions
 * resolved the way CloudFormation would on a deployment into moto: `alarmName(id)` names a metric alarm (CloudFormation
 * generates names; here the logical id), `Fn::GetAtt [id, Arn]` is that alarm's ARN, imports are placeholders.
 */
export class MonitoringTemplate {
  public readonly monitoring: Json;
  public readonly serving: Json;
  public readonly retraining: Json;

  constructor(
    platform: Platform,
    private readonly region: string,
  ) {
    this.monitoring = Template.fromStack(platform.monitoring).toJSON();
    this.serving = Template.fromStack(platform.serving).toJSON();
    this.retraining = Template.fromStack(platform.retraining).toJSON();
  }

  public resources(type: string): Synthesized[] {
    return Object.entries(this.monitoring.Resources as Record<string, Json>)
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ id, properties: r.Properties }));
  }

  public alarmName(id: string): string {
    const r = this.monitoring.Resources[id];
    if (!r) throw new Error(`no resource ${id} in the monitoring template`);
    return r.Properties.AlarmName ?? id;
  }

  public alarmArn(id: string): string {
    return `arn:aws:cloudwatch:${this.region}:${ACCOUNT}:alarm:${this.alarmName(id)}`;
  }

  /** The value with Fn::GetAtt of alarms, Fn::Join, Ref of pseudo parameters and Fn::ImportValue resolved. */
  public resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!value || typeof value !== 'object') return value;
    if ('Fn::GetAtt' in value) {
      const [id, attribute] = value['Fn::GetAtt'];
      if (attribute !== 'Arn') throw new Error(`unresolved Fn::GetAtt ${id}.${attribute}`);
      return this.alarmArn(id);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return (parts as Json[]).map((p) => this.resolve(p)).join(separator);
    }
    if ('Fn::ImportValue' in value) return `import:${value['Fn::ImportValue']}`;
    if ('Ref' in value) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': this.region,
        'AWS::AccountId': ACCOUNT,
      };
      if (pseudo[value.Ref]) return pseudo[value.Ref];
      throw new Error(`unresolved Ref ${value.Ref}`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  /** Literal environment variables of the inference container (the serving stack's task definition). */
  public serviceEnvironment(): Record<string, string> {
    const [task] = Object.values(this.serving.Resources as Record<string, Json>).filter(
      (r) => r.Type === 'AWS::ECS::TaskDefinition',
    );
    const env = (task.Properties.ContainerDefinitions as Json[]).flatMap((c) => c.Environment ?? []);
    return Object.fromEntries(
      env.filter((e: Json) => typeof e.Value === 'string').map((e: Json) => [e.Name, e.Value as string]),
    );
  }

  /** The logical id of the retraining state machine, whose export the rule's target imports. */
  public stateMachineId(): string {
    const [id] = Object.entries(this.retraining.Resources as Record<string, Json>).find(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
    ) as [string, Json];
    return id;
  }
}
