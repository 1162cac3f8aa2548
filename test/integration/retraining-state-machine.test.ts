import * as sagemaker from '@aws-sdk/client-sagemaker';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { LOCK_KEY } from '../../lib/constructs/retraining-states';
import { toSageMakerPipeline } from '../../pipelines/definition';
import { aslErrors } from '../helpers/asl';
import { type Moto, startMoto } from '../helpers/moto';
import { runStateMachine, TaskError, type TaskHandler } from './asl-runner';
import { synthesizedRetrainingDefinition } from './retraining-definition';

// biome-ignore lint/suspicious/noExplicitAny: ASL and AWS JSON bodies are untyped
type Json = any;

const REGION = 'eu-west-1';
const TABLE = 'dxops-retraining-test';
const PIPELINE = 'dxops-training-test';
const GROUP = 'dxops-diagnosis-test';
const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20261124/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe('the retraining state machine, executed against moto', () => {
  let moto: Moto;
  let sm: SageMakerClient;
  let topicArn: string;
  let definition: Json;
  const published: Json[] = [];
  let pipelineOutcome: 'Succeeded' | 'Failed' = 'Succeeded';

  const dynamo = async (action: string, body: Json) => {
    const res = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${action}`,
        authorization: auth('dynamodb'),
      },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    if (!res.ok) throw new TaskError(`DynamoDB.${String(json.__type).split('#').pop()}`, json.message ?? '');
    return json;
  };
  const snsCall = async (params: Record<string, string>) => {
    const res = await fetch(moto.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('sns') },
      body: new URLSearchParams({ Version: '2010-03-31', ...params }).toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new TaskError('SNS.SnsException', text);
    return text;
  };
  const sagemakerCall = async (action: string, args: Json) => {
    const Command = (sagemaker as Json)[`${action[0].toUpperCase()}${action.slice(1)}Command`];
    try {
      return await sm.send(new Command(args));
    } catch (err) {
      throw new TaskError(`SageMaker.${(err as Error).name}`, (err as Error).message);
    }
  };

  /** Task resources of the definition, answered by moto. The pipeline's RegisterModel step is played here. */
  const handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::dynamodb:putItem': (args) => dynamo('PutItem', args),
    'arn:aws:states:::dynamodb:updateItem': (args) => dynamo('UpdateItem', args),
    'arn:aws:states:::dynamodb:deleteItem': (args) => dynamo('DeleteItem', args),
    'arn:aws:states:::sns:publish': async (args) => {
      const xml = await snsCall({
        Action: 'Publish',
        TopicArn: args.TopicArn,
        Message: args.Message,
        Subject: args.Subject,
      });
      published.push(args);
      return { MessageId: /<MessageId>(.*)<\/MessageId>/.exec(xml)?.[1] };
    },
    'arn:aws:states:::aws-sdk:sagemaker:startPipelineExecution': (args) =>
      sagemakerCall('startPipelineExecution', args),
    'arn:aws:states:::aws-sdk:sagemaker:describePipelineExecution': async (args) => {
      // moto runs no steps and reports every execution Succeeded; the outcome and the registration are played here.
      const described = await sagemakerCall('describePipelineExecution', args);
      if (pipelineOutcome === 'Succeeded') {
        await sm.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: GROUP,
            ModelApprovalStatus: 'PendingManualApproval',
            InferenceSpecification: {
              Containers: [{ Image: 'registry.example.test/dxops:1', ModelDataUrl: 's3://a/m' }],
              SupportedContentTypes: ['application/json'],
              SupportedResponseMIMETypes: ['application/json'],
            },
          }),
        );
      }
      return { ...described, PipelineExecutionStatus: pipelineOutcome };
    },
  };

  const lock = async () => (await dynamo('GetItem', { TableName: TABLE, Key: { pk: { S: LOCK_KEY } } })).Item;
  let runs = 0;
  const run = (input: Json) => runStateMachine(definition, input, handlers, { name: `run-${++runs}-${Date.now()}` });
  const alarm = { 'detail-type': 'CloudWatch Alarm State Change', detail: { alarmName: 'dxops-drift' } };

  beforeAll(async () => {
    moto = await startMoto();
    expect(new URL(moto.endpoint).hostname).toBe('127.0.0.1');
    sm = new SageMakerClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await dynamo('CreateTable', {
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    topicArn = /<TopicArn>(.*)<\/TopicArn>/.exec(
      await snsCall({ Action: 'CreateTopic', Name: 'dxops-retraining' }),
    )![1];
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
    const pipeline = toSageMakerPipeline({
      roleArn: 'arn:aws:iam::123456789012:role/dxops-pipeline',
      imageUri: 'registry.example.test/dxops-steps:1',
      rawBucket: 'dxops-raw',
      processedBucket: 'dxops-processed',
      artifactsBucket: 'dxops-artifacts',
      kmsKeyId: 'alias/dxops',
      modelPackageGroupName: GROUP,
    });
    await sm.send(
      new CreatePipelineCommand({
        PipelineName: PIPELINE,
        PipelineDefinition: JSON.stringify(pipeline),
        RoleArn: 'arn:aws:iam::123456789012:role/dxops-pipeline',
      }),
    );
    definition = synthesizedRetrainingDefinition({
      region: REGION,
      tableName: TABLE,
      topicArn,
      pipelineName: PIPELINE,
    });
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  test('the synthesized definition is valid ASL', () => {
    expect(aslErrors(definition)).toBe('');
  });

  test('a failed pipeline records the failure, releases the lock, notifies and fails the run', async () => {
    // GIVEN a pipeline run that ends Failed
    pipelineOutcome = 'Failed';
    // WHEN an alarm starts a run
    const result = await run(alarm);
    // THEN
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RetrainingFailed');
    expect(result.path).toEqual(expect.arrayContaining(['RecordFailure', 'ReleaseLock', 'NotifyFailure']));
    expect(await lock()).toBeUndefined();
    expect(published.at(-1).Subject).toBe('DxOps retraining failed');
    const packages = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: GROUP }));
    expect(packages.ModelPackageSummaryList ?? []).toHaveLength(0);
  }, 30_000);

  test('one alarm starts one run, which leaves a PendingManualApproval package and holds the cooldown', async () => {
    // GIVEN a pipeline run that succeeds (the failed run above released the lock)
    pipelineOutcome = 'Succeeded';
    // WHEN an alarm starts a run
    const result = await run(alarm);
    // THEN
    expect(result.status).toBe('SUCCEEDED');
    expect(result.path).toEqual(expect.arrayContaining(['StartPipeline', 'RecordSuccess', 'StartCooldown']));
    expect(result.path.filter((s) => s === 'StartPipeline')).toHaveLength(1);
    expect(result.variables.pipelineExecutionArn).toContain(PIPELINE);
    const held = await lock();
    expect(Number(held.lockedUntil.N)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(held.trigger.S).toBe('CloudWatch Alarm State Change');
    expect(published.at(-1).Subject).toBe('DxOps retraining succeeded');
    const packages = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: GROUP }));
    expect(packages.ModelPackageSummaryList?.map((p) => p.ModelApprovalStatus)).toEqual(['PendingManualApproval']);
  }, 30_000);

  test('a second alarm during the cooldown ends in SkippedLocked without starting the pipeline', async () => {
    // GIVEN the cooldown held by the successful run above
    const before = published.length;
    // WHEN another alarm arrives
    const result = await run(alarm);
    // THEN
    expect(result.status).toBe('SUCCEEDED');
    expect(result.path).toEqual(['Prepare', 'AcquireLock', 'SkippedLocked']);
    expect(published).toHaveLength(before);
    const packages = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: GROUP }));
    expect(packages.ModelPackageSummaryList).toHaveLength(1);
  }, 30_000);
});
