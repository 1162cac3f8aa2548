import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LOCK_KEY } from '../../../lib/constructs/retraining-states';
import { RetrainingWorkflow, type RetrainingWorkflowProps } from '../../../lib/constructs/retraining-workflow';
import { aslErrors, stateMachineDefinitions } from '../../helpers/asl';

function build(overrides: Partial<RetrainingWorkflowProps> = {}) {
  const stack = new Stack(undefined, 'S', { env: { region: 'eu-west-1', account: '123456789012' } });
  const key = new kms.Key(stack, 'Key');
  const workflow = new RetrainingWorkflow(stack, 'Workflow', {
    table: new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
    topic: new sns.Topic(stack, 'Topic', { masterKey: key }),
    logKey: key,
    pipelineName: 'dxops-dev-training',
    cooldown: Duration.hours(12),
    timeout: Duration.hours(6),
    pipelineParameters: { ModelApprovalStatus: 'Approved' },
    ...overrides,
  });
  return { stack, workflow };
}

// biome-ignore lint/suspicious/noExplicitAny: ASL states are checked field by field
type States = Record<string, Record<string, any>>;

describe('RetrainingWorkflow', () => {
  const { stack, workflow } = build();
  workflow.addScheduleTrigger(30);
  workflow.addNewDataTrigger('ingest-job');
  const template = Template.fromStack(stack);
  const [definition] = Object.values(stateMachineDefinitions(template));
  const states = definition.States as States;

  test('the synthesized definition is valid ASL (asl-validator) in JSONata', () => {
    expect(aslErrors(definition)).toBe('');
    expect(definition.QueryLanguage).toBe('JSONata');
  });

  test('takes the lock with a conditional write and skips when it is held', () => {
    expect(states.AcquireLock).toMatchObject({
      Resource: expect.stringContaining('dynamodb:putItem'),
      Arguments: expect.objectContaining({
        ConditionExpression: 'attribute_not_exists(pk) OR lockedUntil < :now',
        Item: expect.objectContaining({ pk: { S: LOCK_KEY } }),
      }),
      Catch: [
        expect.objectContaining({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'SkippedLocked' }),
      ],
    });
    expect(states.SkippedLocked.Type).toBe('Succeed');
  });

  test('starts the pipeline through the SDK integration with the approval parameter, then polls it', () => {
    expect(states.StartPipeline).toMatchObject({
      Resource: expect.stringContaining('aws-sdk:sagemaker:startPipelineExecution'),
      Arguments: expect.objectContaining({
        PipelineName: 'dxops-dev-training',
        PipelineParameters: [{ Name: 'ModelApprovalStatus', Value: 'Approved' }],
      }),
      Next: 'WaitForPipeline',
    });
    expect(states.WaitForPipeline).toMatchObject({ Type: 'Wait', Seconds: 300, Next: 'DescribePipeline' });
    expect(states.DescribePipeline.Resource).toContain('aws-sdk:sagemaker:describePipelineExecution');
    const choices = states['PipelineDone?'];
    expect(choices.Default).toBe('WaitForPipeline');
    expect(choices.Choices.map((c: { Next: string }) => c.Next)).toEqual(['RecordSuccess', 'PipelineFailed']);
  });

  test('a success starts the cooldown and notifies; a failure records, releases the lock and notifies', () => {
    expect(states.RecordSuccess.Next).toBe('StartCooldown');
    expect(states.StartCooldown.Arguments.UpdateExpression).toBe('SET lockedUntil = :until');
    expect(states.StartCooldown.Arguments.ExpressionAttributeValues[':until'].N).toContain('43200000');
    expect(states.RecordFailure.Next).toBe('ReleaseLock');
    expect(states.ReleaseLock).toMatchObject({
      Resource: expect.stringContaining('dynamodb:deleteItem'),
      Next: 'NotifyFailure',
    });
    expect(states.NotifyFailure.Next).toBe('RetrainingFailed');
    expect(states.StartPipeline.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' });
  });

  test('logs everything to an encrypted log group and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
  });

  test('may only start and describe executions of its own pipeline', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('sagemaker:startPipelineExecution');
    expect(policies).toContain(':sagemaker:eu-west-1:123456789012:pipeline/dxops-dev-training"');
    expect(policies).toContain(':sagemaker:eu-west-1:123456789012:pipeline/dxops-dev-training/execution/*"');
    expect(policies).not.toMatch(/"Action":"sagemaker:[a-zA-Z]+","Effect":"Allow","Resource":"\*"/);
  });

  test('schedule and new-data triggers start the state machine', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 days)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: ['ingest-job'], state: ['SUCCEEDED'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('WorkflowStateMachine') } })],
    });
  });

  test('rejects a cooldown under an hour and a bad pipeline name, naming the prop', () => {
    expect(() => build({ cooldown: Duration.minutes(10) })).toThrow(/cooldown must be at least 1 hour, got 10 minutes/);
    expect(() => build({ pipelineName: 'bad name' })).toThrow(
      /pipelineName is not a SageMaker pipeline name, got "bad name"/,
    );
    expect(() => build().workflow.addScheduleTrigger(0)).toThrow(/schedule days must be a positive integer, got 0/);
  });
});
