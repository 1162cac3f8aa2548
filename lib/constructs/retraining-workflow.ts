import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { retrainingDefinition } from './retraining-states';

export interface RetrainingWorkflowProps {
  /** Table holding the lock item and one record per run. */
  readonly table: dynamodb.ITable;
  /** Encrypted topic notified of every outcome. */
  readonly topic: sns.ITopic;
  /** Key of the state machine's log group (its policy must allow CloudWatch Logs). */
  readonly logKey: kms.IKey;
  /** Name of the SageMaker pipeline to run. */
  readonly pipelineName: string;
  /** Time after a successful run during which triggers are ignored. */
  readonly cooldown: Duration;
  /** Longest a pipeline execution may run; also how long a crashed run can hold the lock. */
  readonly timeout: Duration;
  /** Time between two `DescribePipelineExecution` calls. @default Duration.minutes(5) */
  readonly pollInterval?: Duration;
  /** Parameters passed to every pipeline execution. @default - the pipeline's own defaults */
  readonly pipelineParameters?: Record<string, string>;
  /** Retention of the execution logs. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** Keep the log group when the stack is deleted. @default true */
  readonly retainLogs?: boolean;
}

/**
 * Step Functions workflow that retrains the model: a DynamoDB lock with cooldown, the SageMaker pipeline started
 * through the SDK integration and polled until it ends, the outcome recorded and published to SNS.
 * Logs (ALL, KMS) and X-Ray tracing are on. Triggers are EventBridge rules: `addScheduleTrigger`,
 * `addNewDataTrigger`, and `ruleTarget()` for rules defined elsewhere (the drift alarm rule).
 */
export class RetrainingWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RetrainingWorkflowProps) {
    super(scope, id);
    const poll = props.pollInterval ?? Duration.minutes(5);
    this.validate(props, poll);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: (props.retainLogs ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const { partition, region, account } = Stack.of(this);
    const definition = retrainingDefinition(this, {
      table: props.table,
      topic: props.topic,
      pipelineName: props.pipelineName,
      pipelineArn: `arn:${partition}:sagemaker:${region}:${account}:pipeline/${props.pipelineName.toLowerCase()}`,
      cooldown: props.cooldown,
      timeout: props.timeout,
      pollInterval: poll,
      pipelineParameters: props.pipelineParameters ?? {},
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'DxOps retraining: lock with cooldown, SageMaker pipeline, record, notify',
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout.plus(Duration.hours(1)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray and CloudWatch Logs delivery actions have no resource type (CDK-generated); ' +
            'DescribePipelineExecution is scoped to executions of this one pipeline (pipeline/<name>/execution/*).',
        },
      ],
      true,
    );
  }

  /** Starts a retraining every `days` days. */
  public addScheduleTrigger(days: number): events.Rule {
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`RetrainingWorkflow ${this.node.id}: schedule days must be a positive integer, got ${days}`);
    }
    return new events.Rule(this, 'Schedule', {
      description: `Retrain every ${days} days`,
      schedule: events.Schedule.rate(Duration.days(days)),
      targets: [this.ruleTarget()],
    });
  }

  /** Starts a retraining when the Glue ingestion job succeeds (new processed data). */
  public addNewDataTrigger(glueJobName: string): events.Rule {
    return new events.Rule(this, 'NewData', {
      description: 'New processed data: the ingestion job succeeded',
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [glueJobName], state: ['SUCCEEDED'] },
      },
      targets: [this.ruleTarget()],
    });
  }

  /** An EventBridge target that starts this workflow with the event as input (retried for a day). */
  public ruleTarget(): events.IRuleTarget {
    return new targets.SfnStateMachine(this.stateMachine, { retryAttempts: 10, maxEventAge: Duration.hours(24) });
  }

  private validate(props: RetrainingWorkflowProps, poll: Duration): void {
    const name = props.pipelineName;
    if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/.test(name)) {
      throw new Error(
        `RetrainingWorkflow ${this.node.id}: pipelineName is not a SageMaker pipeline name, got "${name}"`,
      );
    }
    if (poll.toSeconds() < 30 || poll.toSeconds() > 3600) {
      throw new Error(
        `RetrainingWorkflow ${this.node.id}: pollInterval must be 30 s to 1 h, got ${poll.toHumanString()}`,
      );
    }
    if (props.cooldown.toSeconds() < 3600) {
      throw new Error(
        `RetrainingWorkflow ${this.node.id}: cooldown must be at least 1 hour, got ${props.cooldown.toHumanString()}`,
      );
    }
    if (props.timeout.toSeconds() <= poll.toSeconds()) {
      throw new Error(
        `RetrainingWorkflow ${this.node.id}: timeout must exceed pollInterval, got ${props.timeout.toHumanString()}`,
      );
    }
  }
}
