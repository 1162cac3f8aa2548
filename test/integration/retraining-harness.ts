import * as sagemaker from '@aws-sdk/client-sagemaker';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { Stack } from 'aws-cdk-lib';
import { LOCK_KEY } from '../../lib/constructs/retraining-states';
import { toSageMakerPipeline } from '../../pipelines/definition';
import type { Moto } from '../helpers/moto';
import { type RunResult, runStateMachine, TaskError, type TaskHandler } from './asl-runner';
import { synthesizedRetrainingDefinition } from './retraining-definition';

// biome-ignore lint/suspicious/noExplicitAny: ASL and AWS JSON bodies are untyped
type Json = any;

export const REGION = 'eu-west-1';
export const PIPELINE_ROLE = 'arn:aws:iam::123456789012:role/dxops-pipeline';

/** The real pipeline definition (pipelines/definition) on test buckets, image and group. */
export function testPipelineDefinition(modelPackageGroupName: string): Json {
  return toSageMakerPipeline({
    roleArn: PIPELINE_ROLE,
    imageUri: 'registry.example.test/dxops-steps:1',
    rawBucket: 'dxops-raw',
    processedBucket: 'dxops-processed',
    artifactsBucket: 'dxops-artifacts',
    kmsKeyId: 'alias/dxops',
    modelPackageGroupName,
  });
}

/**
 * The synthesized retraining state machine wired to moto: its DynamoDB table, SNS topic, SageMaker pipeline (from
 * the real definition) and model package group are created there, and every Task resource is answered by moto.
 * moto runs no pipeline steps, so the harness decides the pipeline outcome and plays the RegisterModel step.
 */
export interface RetrainingHarness {
  /** The ASL CDK synthesizes, tokens resolved to the moto resources. */
  readonly definition: Json;
  /** Every SNS publish of the state machine, in order. */
  readonly published: Json[];
  /** Executes the definition once with `input` (the event EventBridge delivers, or a manual start). */
  run(input: Json): Promise<RunResult>;
  /** The lock item, or undefined when the lock is free. */
  lock(): Promise<Json>;
  /** Approval statuses of the packages in the group, oldest first. */
  packageStatuses(): Promise<(string | undefined)[]>;
  /** What the next pipeline executions end in. */
  setPipelineOutcome(outcome: 'Succeeded' | 'Failed'): void;
  readonly pipelineName: string;
}

export interface HarnessNames {
  readonly table: string;
  /** The pipeline the definition starts (the ML stack's name when `stack` is the platform's retraining stack). */
  readonly pipeline: string;
  readonly group: string;
}

/** The harness on the definition of `stack` (the platform's retraining stack) or of a workflow built on `names`. */
export async function retrainingHarness(
  moto: Moto,
  names: HarnessNames = {
    table: 'dxops-retraining-test',
    pipeline: 'dxops-training-test',
    group: 'dxops-diagnosis-test',
  },
  stack?: Stack,
): Promise<RetrainingHarness> {
  const auth = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=testing/20261124/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  const sm = new SageMakerClient({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
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
            ModelPackageGroupName: names.group,
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

  await dynamo('CreateTable', {
    TableName: names.table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const topicArn = /<TopicArn>(.*)<\/TopicArn>/.exec(
    await snsCall({ Action: 'CreateTopic', Name: 'dxops-retraining' }),
  )![1];
  await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: names.group }));
  await sm.send(
    new CreatePipelineCommand({
      PipelineName: names.pipeline,
      PipelineDefinition: JSON.stringify(testPipelineDefinition(names.group)),
      RoleArn: PIPELINE_ROLE,
    }),
  );
  const definition = synthesizedRetrainingDefinition(
    { region: REGION, tableName: names.table, topicArn, pipelineName: names.pipeline },
    stack,
  );

  let runs = 0;
  return {
    definition,
    published,
    pipelineName: names.pipeline,
    run: (input) => runStateMachine(definition, input, handlers, { name: `run-${++runs}-${Date.now()}` }),
    lock: async () => (await dynamo('GetItem', { TableName: names.table, Key: { pk: { S: LOCK_KEY } } })).Item,
    packageStatuses: async () => {
      const res = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: names.group }));
      return (res.ModelPackageSummaryList ?? []).map((p) => p.ModelApprovalStatus);
    },
    setPipelineOutcome: (outcome) => {
      pipelineOutcome = outcome;
    },
  };
}
