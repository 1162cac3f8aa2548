import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { toSageMakerPipeline } from '../../pipelines/definition';
import { runCli } from '../cli/run-cli';
import { awsTestEnv, type Moto, startMoto } from '../helpers/moto';
import { synthesizedRetrainingDefinition } from './retraining-definition';

/** The CLI's AWS commands against moto's server on loopback: real SDK calls over HTTP, no AWS account. */
describe('dxops against AWS (moto on loopback)', () => {
  let moto: Moto;
  const saved = { ...process.env };
  const cfg = () => ({
    region: 'eu-west-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const aws = (...args: string[]) =>
    runCli(['--aws', '--endpoint-url', moto.endpoint, '--region', 'eu-west-1', ...args]);

  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, awsTestEnv(moto.endpoint));
    expect(new URL(moto.endpoint).hostname).toBe('127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  test('models list and approve act on the SageMaker model package group', async () => {
    // GIVEN a group with two registered packages
    const sm = new SageMakerClient(cfg());
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'dxops-diagnosis-test' }));
    for (let i = 0; i < 2; i++) {
      await sm.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'dxops-diagnosis-test',
          ModelApprovalStatus: 'PendingManualApproval',
          InferenceSpecification: {
            Containers: [
              {
                Image: 'registry.example.test/dxops:1',
                ModelDataUrl: `s3://artifacts/p${i}/model.tar.gz`,
              },
            ],
            SupportedContentTypes: ['application/json'],
            SupportedResponseMIMETypes: ['application/json'],
          },
        }),
      );
    }
    // WHEN listing and approving version 2
    const listed = await aws('--json', 'models', 'list', '--group', 'dxops-diagnosis-test');
    expect(JSON.parse(listed.stdout).map((p: { ModelPackageVersion: number }) => p.ModelPackageVersion)).toEqual([
      1, 2,
    ]);
    const approved = await aws('models', 'approve', '2', '--reason', 'better', '--group', 'dxops-diagnosis-test');
    expect(approved.error).toBeUndefined();
    // THEN SageMaker holds the new status, and an unknown version names the known ones
    const after = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'dxops-diagnosis-test' }));
    expect(after.ModelPackageSummaryList?.find((p) => p.ModelPackageVersion === 2)?.ModelApprovalStatus).toBe(
      'Approved',
    );
    const unknown = await aws('models', 'reject', '7', '--reason', 'x', '--group', 'dxops-diagnosis-test');
    expect(unknown.error?.message).toBe('unknown version 7 in dxops-diagnosis-test');
    expect(unknown.error?.hint).toBe('known versions: 1, 2');
  });

  test('data upload writes the file to the raw bucket with SSE-KMS and an intact body, multipart when large', async () => {
    const s3 = new S3Client(cfg());
    await s3.send(
      new CreateBucketCommand({ Bucket: 'dxops-raw', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'dxops-upload-'));
    const small = join(dir, 'small.csv');
    const large = join(dir, 'large.csv');
    writeFileSync(small, 'AGE,SEX\n30,F\n');
    writeFileSync(large, Buffer.alloc(9 * 1024 * 1024, 'x'));
    for (const file of [small, large]) {
      const { error } = await aws('data', 'upload', file, '--source', 'ddxplus', '--bucket', 'dxops-raw');
      expect(error).toBeUndefined();
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/small.csv' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/small.csv' }))
    ).Body?.transformToString();
    expect(body).toBe('AGE,SEX\n30,F\n');
    const big = await s3.send(new HeadObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/large.csv' }));
    expect(big.ContentLength).toBe(9 * 1024 * 1024);
  });

  test('pipeline start and list use the pipeline created from the real definition', async () => {
    const sm = new SageMakerClient(cfg());
    const definition = toSageMakerPipeline({
      roleArn: 'arn:aws:iam::123456789012:role/dxops-pipeline',
      imageUri: 'registry.example.test/dxops-steps:1',
      rawBucket: 'dxops-raw',
      processedBucket: 'dxops-processed',
      artifactsBucket: 'dxops-artifacts',
      kmsKeyId: 'alias/dxops',
      modelPackageGroupName: 'dxops-diagnosis-test',
    });
    await sm.send(
      new CreatePipelineCommand({
        PipelineName: 'dxops-training-test',
        PipelineDefinition: JSON.stringify(definition),
        RoleArn: 'arn:aws:iam::123456789012:role/dxops-pipeline',
      }),
    );
    const started = await aws('--json', 'pipeline', 'start', '--pipeline', 'dxops-training-test', '--param', 'Seed=7');
    expect(started.error).toBeUndefined();
    expect(JSON.parse(started.stdout).PipelineExecutionArn).toContain('dxops-training-test');
    const listed = await aws('--json', 'pipeline', 'list', '--pipeline', 'dxops-training-test');
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const missing = await aws('pipeline', 'list');
    expect(missing.error?.message).toBe('the pipeline name is not set');
  });

  test('retrain start, status and history act on the retraining state machine CDK synthesizes', async () => {
    // GIVEN the synthesized retraining state machine created in moto
    const definition = synthesizedRetrainingDefinition({
      region: 'eu-west-1',
      tableName: 'dxops-retraining',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:dxops-retraining',
      pipelineName: 'dxops-training-test',
    });
    const created = await new SFNClient(cfg()).send(
      new CreateStateMachineCommand({
        name: 'dxops-retraining',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/dxops-retraining',
      }),
    );
    const machine = created.stateMachineArn as string;
    // WHEN a data scientist starts a run, then looks at it and at the history
    const started = await aws('--json', 'retrain', 'start', '--state-machine', machine, '--reason', 'new data');
    expect(started.error).toBeUndefined();
    const executionArn = JSON.parse(started.stdout).executionArn as string;
    const status = await aws('retrain', 'status', executionArn);
    const history = await aws('--json', 'retrain', 'history', '--state-machine', machine);
    // THEN
    expect(executionArn).toContain('dxops-retraining');
    expect(status.error).toBeUndefined();
    expect(status.stdout).toMatch(/: (RUNNING|SUCCEEDED)/);
    expect(JSON.parse(history.stdout)).toHaveLength(1);
    const unknown = await aws('retrain', 'status', `${machine.replace(':stateMachine:', ':execution:')}:nope`);
    expect(unknown.error).toBeDefined();
  });
});
