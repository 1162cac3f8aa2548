/** The commands against AWS: SageMaker (registry, pipeline), Step Functions (retraining), S3 (raw zone). */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  type ModelApprovalStatus,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from './context';
import { CliError } from './errors';
import { type Output, table } from './output';

/** S3 accepts single PUTs up to 5 GiB, but parts make large uploads resumable and bounded in memory. */
const PART_BYTES = 8 * 1024 * 1024;

function clientConfig(ctx: Context) {
  return { region: ctx.region, ...(ctx.endpointUrl ? { endpoint: ctx.endpointUrl, forcePathStyle: true } : {}) };
}

export function setting(name: string, value: string | undefined, what: string): string {
  if (!value)
    throw new CliError(`${what} is not set`, `pass it as an option or set ${name} (an output of the deployed stacks)`);
  return value;
}

/** SDK failures as one line with the next step; anything unexpected keeps its message. */
export async function aws<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
      throw new CliError(
        'no AWS credentials found',
        'configure credentials (aws configure / AWS_PROFILE) or use --local',
      );
    }
    if (
      e.name === 'ResourceNotFound' ||
      e.name === 'ValidationException' ||
      e.name === 'ExecutionDoesNotExist' ||
      e.name === 'StateMachineDoesNotExist'
    ) {
      throw new CliError(e.message ?? String(e.name), 'check the name or ARN (the stacks output it)');
    }
    throw new CliError(`AWS call failed: ${e.name}: ${e.message}`);
  }
}

async function packages(ctx: Context, group: string) {
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: group, SortBy: 'CreationTime', SortOrder: 'Ascending' }),
    ),
  );
  return res.ModelPackageSummaryList ?? [];
}

export async function modelsList(ctx: Context, out: Output, group: string): Promise<void> {
  const list = await packages(ctx, group);
  out.result(list, () =>
    list.length
      ? table(
          ['version', 'status', 'created', 'arn'],
          list.map((p) => [
            p.ModelPackageVersion,
            p.ModelApprovalStatus,
            p.CreationTime?.toISOString().slice(0, 16),
            p.ModelPackageArn,
          ]),
        )
      : `no model packages in group ${group}`,
  );
}

export async function modelsSetStatus(
  ctx: Context,
  out: Output,
  group: string,
  version: number,
  status: ModelApprovalStatus,
  reason: string,
): Promise<void> {
  const list = await packages(ctx, group);
  const pkg = list.find((p) => p.ModelPackageVersion === version);
  if (!pkg?.ModelPackageArn) {
    throw new CliError(
      `unknown version ${version} in ${group}`,
      `known versions: ${list.map((p) => p.ModelPackageVersion).join(', ') || 'none'}`,
    );
  }
  const sm = new SageMakerClient(clientConfig(ctx));
  await aws(() =>
    sm.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: pkg.ModelPackageArn,
        ModelApprovalStatus: status,
        ApprovalDescription: reason,
      }),
    ),
  );
  out.result(
    { version, status, arn: pkg.ModelPackageArn },
    () => `version ${version} is now ${status}; the deployment rule rolls the service`,
  );
}

export async function pipelineStart(
  ctx: Context,
  out: Output,
  pipeline: string,
  params: Record<string, string>,
): Promise<void> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new StartPipelineExecutionCommand({
        PipelineName: pipeline,
        PipelineParameters: Object.entries(params).map(([Name, Value]) => ({ Name, Value })),
        ClientRequestToken: `dxops-cli-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
      }),
    ),
  );
  out.result(
    res,
    () => `started ${res.PipelineExecutionArn}; follow it with: dxops pipeline status ${res.PipelineExecutionArn}`,
  );
}

export async function pipelineList(ctx: Context, out: Output, pipeline: string): Promise<void> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new ListPipelineExecutionsCommand({ PipelineName: pipeline, SortBy: 'CreationTime', SortOrder: 'Descending' }),
    ),
  );
  const list = res.PipelineExecutionSummaries ?? [];
  out.result(list, () =>
    list.length
      ? table(
          ['execution', 'status', 'started'],
          list.map((e) => [e.PipelineExecutionArn, e.PipelineExecutionStatus, e.StartTime?.toISOString().slice(0, 19)]),
        )
      : `no executions of ${pipeline}`,
  );
}

export async function pipelineStatus(ctx: Context, out: Output, executionArn: string): Promise<void> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const exec = await aws(() => sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn })));
  const steps = await aws(() =>
    sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn, SortOrder: 'Ascending' })),
  );
  const list = steps.PipelineExecutionSteps ?? [];
  out.result({ execution: exec, steps: list }, () =>
    [
      `${executionArn}: ${exec.PipelineExecutionStatus}${exec.FailureReason ? ` (${exec.FailureReason})` : ''}`,
      table(
        ['step', 'status', 'started', 'failure'],
        list.map((s) => [s.StepName, s.StepStatus, s.StartTime?.toISOString().slice(11, 19), s.FailureReason]),
      ),
    ].join('\n'),
  );
}

export async function retrainStart(ctx: Context, out: Output, stateMachineArn: string, reason: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() =>
    sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ trigger: 'dxops retrain start', reason }) }),
    ),
  );
  out.result(
    res,
    () => `started ${res.executionArn}; the cooldown lock decides whether a pipeline run starts (dxops retrain status)`,
  );
}

export async function retrainHistory(ctx: Context, out: Output, stateMachineArn: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() => sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 20 })));
  const list = res.executions ?? [];
  out.result(list, () =>
    list.length
      ? table(
          ['execution', 'status', 'started'],
          list.map((e) => [e.name, e.status, e.startDate?.toISOString().slice(0, 19)]),
        )
      : 'no retraining runs yet',
  );
}

export async function retrainStatus(ctx: Context, out: Output, executionArn: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() => sfn.send(new DescribeExecutionCommand({ executionArn })));
  out.result(
    res,
    () => `${res.name}: ${res.status}${res.error ? ` (${res.error}: ${res.cause})` : ''}\noutput: ${res.output ?? '-'}`,
  );
}

/** Uploads one file to the raw zone with SSE-KMS and a SHA-256 checksum S3 verifies; multipart above 8 MiB. */
export async function dataUpload(
  ctx: Context,
  out: Output,
  path: string,
  source: string,
  bucket: string,
  kmsKeyId?: string,
  progress?: (done: number, total: number) => void,
): Promise<void> {
  const size = statSync(path).size;
  const key = `${source}/${basename(path)}`;
  const s3 = new S3Client(clientConfig(ctx));
  const sse = { ServerSideEncryption: 'aws:kms' as const, ...(kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}) };
  const body = readFileSync(path);
  if (size <= PART_BYTES) {
    const checksum = createHash('sha256').update(body).digest('base64');
    await aws(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumSHA256: checksum, ...sse })),
    );
    progress?.(size, size);
  } else {
    const upload = await aws(() =>
      s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256', ...sse })),
    );
    const parts: { PartNumber: number; ETag?: string; ChecksumSHA256?: string }[] = [];
    for (let offset = 0, n = 1; offset < size; offset += PART_BYTES, n++) {
      const chunk = body.subarray(offset, offset + PART_BYTES);
      const checksum = createHash('sha256').update(chunk).digest('base64');
      const res = await aws(() =>
        s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: upload.UploadId,
            PartNumber: n,
            Body: chunk,
            ChecksumSHA256: checksum,
          }),
        ),
      );
      parts.push({ PartNumber: n, ETag: res.ETag, ChecksumSHA256: res.ChecksumSHA256 ?? checksum });
      progress?.(Math.min(size, offset + PART_BYTES), size);
    }
    await aws(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
  }
  out.result(
    { bucket, key, bytes: size },
    () => `uploaded ${path} to s3://${bucket}/${key} (${size} bytes, SSE-KMS); the new-data rule starts ingestion`,
  );
}
