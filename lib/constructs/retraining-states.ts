import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** What the retraining states need; built by `RetrainingWorkflow`. */
export interface RetrainingStatesProps {
  readonly table: dynamodb.ITable;
  readonly topic: sns.ITopic;
  readonly pipelineName: string;
  readonly pipelineArn: string;
  readonly cooldown: Duration;
  readonly timeout: Duration;
  readonly pollInterval: Duration;
  readonly pipelineParameters: Record<string, string>;
}

/** Partition key of the lock item; run records use `run#<execution name>`. */
export const LOCK_KEY = 'lock#retraining';

const N = (expr: string) => tasks.DynamoAttributeValue.numberFromString(`{% $string(${expr}) %}`);
const S = (expr: string) => tasks.DynamoAttributeValue.fromString(`{% ${expr} %}`);

/**
 * The retraining state machine (JSONata): lock with cooldown → start the SageMaker pipeline → poll until it ends →
 * record the outcome → notify. A trigger that finds the lock held (a run in progress, or the cooldown after a
 * success) ends in `SkippedLocked`; a failure releases the lock so the next trigger can retry.
 */
export function retrainingDefinition(scope: Construct, props: RetrainingStatesProps): sfn.IChainable {
  const { prepare, acquireLock } = lockStates(scope, props);
  const { start, wait, describe } = pipelineStates(scope, props);
  const { succeeded, recordFailure } = outcomeStates(scope, props);

  const pipelineEnded = sfn.Pass.jsonata(scope, 'PipelineFailed', {
    assign: { failure: '{% {"pipelineExecutionStatus": $status} %}' },
  }).next(recordFailure);
  const checkStatus = sfn.Choice.jsonata(scope, 'PipelineDone?')
    .when(sfn.Condition.jsonata("{% $status = 'Succeeded' %}"), succeeded)
    .when(sfn.Condition.jsonata("{% $status in ['Failed', 'Stopped'] %}"), pipelineEnded)
    .otherwise(wait);
  const toFailure = { errors: ['States.ALL'], assign: { failure: '{% $states.errorOutput %}' } };
  for (const state of [start, describe]) state.addCatch(recordFailure, toFailure);

  return prepare.next(acquireLock).next(start).next(wait).next(describe).next(checkStatus);
}

/** Names the run and takes the lock; a held lock ends in `SkippedLocked`. */
function lockStates(scope: Construct, props: RetrainingStatesProps) {
  const prepare = sfn.Pass.jsonata(scope, 'Prepare', {
    comment: 'Name the trigger: the EventBridge detail-type, or `trigger` of a manual start',
    assign: {
      runId: '{% $states.context.Execution.Name %}',
      trigger:
        "{% $exists($states.input.`detail-type`) ? $states.input.`detail-type` : ($exists($states.input.trigger) ? $states.input.trigger : 'manual') %}",
      startedAt: '{% $states.context.Execution.StartTime %}',
      pipelineExecutionArn: 'none',
      failure: 'none',
    },
  });
  const acquireLock = tasks.DynamoPutItem.jsonata(scope, 'AcquireLock', {
    comment:
      'Conditional write: free when absent or expired (a run holds it for the timeout, a success for the cooldown)',
    table: props.table,
    item: {
      pk: tasks.DynamoAttributeValue.fromString(LOCK_KEY),
      holder: S('$runId'),
      trigger: S('$trigger'),
      lockedUntil: N(`$millis() + ${props.timeout.toMilliseconds()}`),
    },
    conditionExpression: 'attribute_not_exists(pk) OR lockedUntil < :now',
    expressionAttributeValues: { ':now': N('$millis()') },
  });
  const skipped = sfn.Succeed.jsonata(scope, 'SkippedLocked', {
    comment: 'Another run holds the lock or the cooldown is running: nothing to do',
  });
  acquireLock.addCatch(skipped, { errors: ['DynamoDB.ConditionalCheckFailedException'] });
  return { prepare, acquireLock };
}

/** Starts the pipeline (SDK integration) and polls its status. */
function pipelineStates(scope: Construct, props: RetrainingStatesProps) {
  const start = tasks.CallAwsService.jsonata(scope, 'StartPipeline', {
    service: 'sagemaker',
    action: 'startPipelineExecution',
    iamResources: [props.pipelineArn],
    parameters: {
      PipelineName: props.pipelineName,
      // Idempotent retries: the token is the execution name, alphanumeric and padded to the API's 32-char minimum.
      ClientRequestToken: "{% $pad($replace($runId, /[^a-zA-Z0-9]/, ''), 32, '0') %}",
      PipelineExecutionDescription: '{% "Retraining started by " & $trigger %}',
      ...pipelineParametersArgument(props.pipelineParameters),
    },
    assign: { pipelineExecutionArn: '{% $states.result.PipelineExecutionArn %}' },
  });
  const wait = sfn.Wait.jsonata(scope, 'WaitForPipeline', { time: sfn.WaitTime.duration(props.pollInterval) });
  const describe = tasks.CallAwsService.jsonata(scope, 'DescribePipeline', {
    service: 'sagemaker',
    action: 'describePipelineExecution',
    iamResources: [`${props.pipelineArn}/execution/*`],
    parameters: { PipelineExecutionArn: '{% $pipelineExecutionArn %}' },
    assign: { status: '{% $states.result.PipelineExecutionStatus %}' },
  });
  for (const task of [start, describe]) {
    task.addRetry({ errors: ['SageMaker.ThrottlingException', 'SageMaker.SageMakerException'], maxAttempts: 5 });
  }
  return { start, wait, describe };
}

/** Success: record, start the cooldown, notify. Failure: record, release the lock, notify, fail. */
function outcomeStates(scope: Construct, props: RetrainingStatesProps) {
  const { table, topic } = props;
  const record = (id: string, outcome: string) =>
    tasks.DynamoPutItem.jsonata(scope, id, {
      table,
      item: {
        pk: S('"run#" & $runId'),
        outcome: tasks.DynamoAttributeValue.fromString(outcome),
        trigger: S('$trigger'),
        startedAt: S('$startedAt'),
        finishedAt: S('$now()'),
        pipelineExecutionArn: S('$pipelineExecutionArn'),
        detail: S('$string($failure)'),
      },
    });
  const notify = (id: string, subject: string) =>
    tasks.SnsPublish.jsonata(scope, id, {
      topic,
      subject,
      message: sfn.TaskInput.fromText(
        `{% "${subject}: run " & $runId & " (trigger: " & $trigger & ", pipeline execution: " & $pipelineExecutionArn & ")" %}`,
      ),
    });

  const startCooldown = tasks.DynamoUpdateItem.jsonata(scope, 'StartCooldown', {
    comment: 'Keep the lock for the cooldown so alarms cannot start a retraining storm',
    table,
    key: { pk: tasks.DynamoAttributeValue.fromString(LOCK_KEY) },
    updateExpression: 'SET lockedUntil = :until',
    expressionAttributeValues: { ':until': N(`$millis() + ${props.cooldown.toMilliseconds()}`) },
  });
  const succeeded = record('RecordSuccess', 'Succeeded')
    .next(startCooldown)
    .next(notify('NotifySuccess', 'DxOps retraining succeeded'))
    .next(sfn.Succeed.jsonata(scope, 'Retrained'));

  const releaseLock = tasks.DynamoDeleteItem.jsonata(scope, 'ReleaseLock', {
    comment: 'A failed run frees the lock at once so the next trigger can retry',
    table,
    key: { pk: tasks.DynamoAttributeValue.fromString(LOCK_KEY) },
    conditionExpression: 'holder = :me',
    expressionAttributeValues: { ':me': S('$runId') },
  });
  const failed = sfn.Fail.jsonata(scope, 'RetrainingFailed', {
    error: 'RetrainingFailed',
    cause: '{% $string($failure) %}',
  });
  const recordFailure = record('RecordFailure', 'Failed');
  recordFailure.next(releaseLock).next(notify('NotifyFailure', 'DxOps retraining failed')).next(failed);
  return { succeeded, recordFailure };
}

function pipelineParametersArgument(parameters: Record<string, string>): Record<string, unknown> {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return {};
  return { PipelineParameters: entries.map(([Name, Value]) => ({ Name, Value })) };
}
