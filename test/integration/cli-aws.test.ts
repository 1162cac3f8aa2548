import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { runCli } from '../cli/run-cli';
import { awsTestEnv, type Moto, startMoto } from '../helpers/moto';
import { synthesizedRetrainingDefinition } from './retraining-definition';
import { PIPELINE_ROLE, testPipelineDefinition } from './retraining-harness';

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
    expect(JSON.parse(listed.stdout).packages.map((p: { version: number }) => p.version)).toEqual([1, 2]);
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
    expect(JSON.parse((await aws('--json', 'models', 'list', '--group', 'dxops-diagnosis-test')).stdout)).toMatchObject(
      { servedVersion: 2 },
    );
  });

  test('models list and show read the evaluation of each version from S3: key metrics side by side', async () => {
    // GIVEN two packages registered as RegisterModel does: ModelMetrics in S3, package prefix and model version
    const sm = new SageMakerClient(cfg());
    const s3 = new S3Client(cfg());
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'dxops-artifacts',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'dxops-diagnosis-metrics' }));
    for (const [i, top1] of [0.981, 0.986].entries()) {
      const key = `runs/r${i}/evaluation/evaluation.json`;
      const evaluation = {
        common: { complete: { top1, perDisease: { x: 1 } } },
        orphan: { timesplit: { top10: 0.2 + i / 10 } },
      };
      await s3.send(new PutObjectCommand({ Bucket: 'dxops-artifacts', Key: key, Body: JSON.stringify(evaluation) }));
      const lineage = [{ uri: 'phenotype.hpoa.gz', sha256: `${i}`.repeat(64) }];
      await s3.send(
        new PutObjectCommand({
          Bucket: 'dxops-artifacts',
          Key: `p${i}/manifest.json`,
          Body: JSON.stringify({ lineage }),
        }),
      );
      await sm.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'dxops-diagnosis-metrics',
          ModelApprovalStatus: 'PendingManualApproval',
          InferenceSpecification: {
            Containers: [
              { Image: 'registry.example.test/dxops:1', ModelDataUrl: `s3://dxops-artifacts/p${i}/model.tar.gz` },
            ],
            SupportedContentTypes: ['application/json'],
            SupportedResponseMIMETypes: ['application/json'],
          },
          ModelMetrics: {
            ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://dxops-artifacts/${key}` } },
          },
          CustomerMetadataProperties: { packageUri: `s3://dxops-artifacts/p${i}`, modelVersion: `dxops-r${i}` },
        }),
      );
    }
    // WHEN
    const listed = await aws('models', 'list', '--group', 'dxops-diagnosis-metrics');
    const shown = await aws('--json', 'models', 'show', '2', '--group', 'dxops-diagnosis-metrics');
    // THEN
    expect(listed.stdout).toMatch(/version\s+status\s+common\s+half-ev\s+kaggle½\s+orphan sim@10\s+orphan lit@10/);
    expect(listed.stdout).toMatch(/1\s+PendingManualApproval\s+0\.981\s+-\s+-\s+-\s+0\.200 .*dxops-r0/);
    expect(listed.stdout).toMatch(/2\s+PendingManualApproval\s+0\.986\s+-\s+-\s+-\s+0\.300 .*dxops-r1/);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      version: 2,
      packageUri: 's3://dxops-artifacts/p1',
      modelVersion: 'dxops-r1',
      metrics: { common: { complete: { top1: 0.986 } } },
    });
    expect(JSON.parse(shown.stdout).metrics.common.complete.perDisease).toBeUndefined();
    // AND compare reads both evaluations and both manifests (the package prefix) from S3
    const compared = await aws('models', 'compare', '1', '2', '--group', 'dxops-diagnosis-metrics');
    expect(compared.stdout).toMatch(/common\.complete\.top1\s+0\.981\s+0\.986\s+\+0\.0050/);
    expect(compared.stdout).toMatch(/orphan\.timesplit\.top10\s+0\.200\s+0\.300\s+\+0\.1000/);
    expect(compared.stdout).toContain('no metric of version 2 is worse than version 1 by more than 0.02');
    expect(compared.stdout).toContain('phenotype.hpoa.gz: 000000000000 -> 111111111111');
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
    writeFileSync(large, Buffer.concat([Buffer.alloc(9 * 1024 * 1024, 'x'), Buffer.from('end')]));
    // WHEN the directory is uploaded
    const { stdout, error } = await aws(
      '--json',
      'data',
      'upload',
      dir,
      '--source',
      'ddxplus',
      '--bucket',
      'dxops-raw',
    );
    // THEN each file has its SHA-256 and part count, and S3 holds an intact, encrypted copy
    expect(error).toBeUndefined();
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect(JSON.parse(stdout).files).toEqual([
      expect.objectContaining({ key: 'ddxplus/large.csv', parts: 2, sha256: sha(readFileSync(large)) }),
      expect.objectContaining({ key: 'ddxplus/small.csv', parts: 1, sha256: sha('AGE,SEX\n30,F\n') }),
    ]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/small.csv' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/small.csv' }))
    ).Body?.transformToString();
    expect(body).toBe('AGE,SEX\n30,F\n');
    const big = await s3.send(new GetObjectCommand({ Bucket: 'dxops-raw', Key: 'ddxplus/large.csv' }));
    expect(sha(Buffer.from(await big.Body!.transformToByteArray()))).toBe(sha(readFileSync(large)));
    const missing = await aws('data', 'upload', join(dir, 'nope.csv'), '--source', 'ddxplus', '--bucket', 'dxops-raw');
    expect(missing.error?.hint).toBe('give a file or a directory of files');
    const noBucket = await aws('data', 'upload', small, '--source', 'ddxplus', '--bucket', 'dxops-nope');
    expect(noBucket.error?.hint).toBe('check the name or ARN (the deployed stacks output them)');
  });

  test('pipeline start and list use the pipeline created from the real definition', async () => {
    const sm = new SageMakerClient(cfg());
    const definition = testPipelineDefinition('dxops-diagnosis-test');
    await sm.send(
      new CreatePipelineCommand({
        PipelineName: 'dxops-training-test',
        PipelineDefinition: JSON.stringify(definition),
        RoleArn: PIPELINE_ROLE,
      }),
    );
    const started = await aws('--json', 'pipeline', 'start', '--pipeline', 'dxops-training-test', '--param', 'Seed=7');
    expect(started.error).toBeUndefined();
    expect(JSON.parse(started.stdout).PipelineExecutionArn).toContain('dxops-training-test');
    const listed = await aws('--json', 'pipeline', 'list', '--pipeline', 'dxops-training-test');
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const missing = await aws('pipeline', 'list');
    expect(missing.error?.message).toBe('the pipeline name is not set');
    expect(missing.error?.hint).toContain('--local');
    // the latest execution, watched until it ends (moto ends executions at once). moto 5.2.5 has no
    // ListPipelineExecutionSteps: that one call is answered here with the definition's steps, the rest goes to moto.
    const steps = (definition.Steps as { Name: string }[]).map((st) => ({
      StepName: st.Name,
      StepStatus: 'Succeeded',
    }));
    const send = SageMakerClient.prototype.send;
    const spy = jest.spyOn(SageMakerClient.prototype, 'send').mockImplementation(function (this: SageMakerClient, c) {
      if (c instanceof ListPipelineExecutionStepsCommand) return Promise.resolve({ PipelineExecutionSteps: steps });
      return (send as (c: unknown) => Promise<unknown>).call(this, c);
    } as typeof send);
    const watched = await aws(
      'pipeline',
      'status',
      '--watch',
      '--interval',
      '0.1',
      '--pipeline',
      'dxops-training-test',
    );
    const startedWatched = await aws(
      'pipeline',
      'start',
      '--watch',
      '--interval',
      '0.1',
      '--pipeline',
      'dxops-training-test',
    );
    spy.mockRestore();
    expect(startedWatched.error).toBeUndefined();
    expect(startedWatched.stderr).toContain('✔ CheckQuality succeeded');
    expect(startedWatched.stdout).toMatch(/execution\/\w+: Succeeded\n$/);
    expect(watched.error).toBeUndefined();
    const arn = JSON.parse(started.stdout).PipelineExecutionArn;
    expect(watched.stderr.split('\n')).toEqual(
      expect.arrayContaining([`run ${arn}: Succeeded`, '✔ Ingest succeeded', '✔ CheckQuality succeeded']),
    );
    expect(watched.stdout).toBe(`${arn}: Succeeded\n`);
    const unknown = await aws('pipeline', 'start', '--pipeline', 'dxops-no-such-pipeline');
    expect(unknown.error?.hint).toBe('check the name or ARN (the deployed stacks output them)');
  });

  test('without AWS credentials, an AWS command says so and how to go on', async () => {
    // GIVEN no credentials anywhere the SDK looks (and no instance metadata lookup)
    const env = { ...process.env };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[k];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'dxops-none', 'credentials'),
      AWS_CONFIG_FILE: join(tmpdir(), 'dxops-none', 'config'),
    });
    try {
      // WHEN
      const { error } = await aws('models', 'list', '--group', 'dxops-diagnosis-test');
      // THEN
      expect(error?.message).toBe('no AWS credentials found');
      expect(error?.hint).toContain('--local');
    } finally {
      process.env = env;
    }
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
