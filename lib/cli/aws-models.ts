/** The model registry on AWS: the SageMaker model package group, with each version's evaluation from S3. */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  type ModelApprovalStatus,
  type ModelPackageSummary,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { registryMetrics } from '../../pipelines/definition/local-runner';
import { aws, clientConfig } from './aws';
import type { Context } from './context';
import { CliError } from './errors';
import { type CompareOptions, compareWithLineage, comparisonText, type Lineage } from './model-compare';
import { type ModelVersionView, versionDetail, versionsTable } from './model-views';
import type { Output } from './output';

export interface AwsModelVersion extends ModelVersionView {
  readonly arn: string;
  /** S3 prefix of the unpacked package (what the service loads). */
  readonly packageUri?: string;
  /** Where the evaluation is (RegisterModel's ModelMetrics), and why its metrics are missing when they are. */
  readonly evaluationUri?: string;
  readonly metricsError?: string;
}

async function summaries(sm: SageMakerClient, group: string): Promise<ModelPackageSummary[]> {
  const out: ModelPackageSummary[] = [];
  let token: string | undefined;
  do {
    const res = await aws(() =>
      sm.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: group,
          SortBy: 'CreationTime',
          SortOrder: 'Ascending',
          NextToken: token,
        }),
      ),
    );
    out.push(...(res.ModelPackageSummaryList ?? []));
    token = res.NextToken;
  } while (token);
  return out;
}

/** A JSON object in S3 (an evaluation, a package's manifest). */
async function readJson(s3: S3Client, uri: string): Promise<Record<string, unknown>> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an S3 URI: ${uri}`);
  const res = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
  return JSON.parse((await res.Body?.transformToString()) ?? '{}');
}

/** One package with its metadata and the headline metrics of its evaluation (as the local registry keeps them). */
async function describe(ctx: Context, summary: ModelPackageSummary): Promise<AwsModelVersion> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const pkg = await aws(() => sm.send(new DescribeModelPackageCommand({ ModelPackageName: summary.ModelPackageArn })));
  const evaluationUri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  let metrics: Record<string, unknown> | undefined;
  let metricsError: string | undefined;
  if (evaluationUri) {
    try {
      metrics = registryMetrics(await readJson(new S3Client(clientConfig(ctx)), evaluationUri));
    } catch (err) {
      metricsError = `${(err as Error).name}: ${(err as Error).message}`;
    }
  }
  return {
    version: summary.ModelPackageVersion ?? 0,
    status: summary.ModelApprovalStatus ?? 'Unknown',
    createdAt: summary.CreationTime?.toISOString(),
    arn: summary.ModelPackageArn as string,
    statusReason: pkg.ApprovalDescription,
    modelVersion: pkg.CustomerMetadataProperties?.modelVersion,
    packageUri: pkg.CustomerMetadataProperties?.packageUri,
    evaluationUri,
    metrics,
    metricsError,
  };
}

/** The version the deployment rule serves: the highest Approved one (lambda/deploy-approved-model). */
function servedVersion(versions: readonly { version: number; status: string }[]): number | undefined {
  const approved = versions.filter((v) => v.status === 'Approved').map((v) => v.version);
  return approved.length ? Math.max(...approved) : undefined;
}

export async function modelsList(ctx: Context, out: Output, group: string): Promise<void> {
  const list = await summaries(new SageMakerClient(clientConfig(ctx)), group);
  const versions = await Promise.all(list.map((s) => describe(ctx, s)));
  const served = servedVersion(versions);
  out.result({ packages: versions, servedVersion: served ?? null }, () =>
    versions.length
      ? `${versionsTable(versions, served)}\n* = served (the highest Approved version)`
      : `no model packages in group ${group}: a pipeline run registers one (dxops pipeline start)`,
  );
}

async function find(ctx: Context, group: string, version: number): Promise<ModelPackageSummary> {
  const list = await summaries(new SageMakerClient(clientConfig(ctx)), group);
  const pkg = list.find((p) => p.ModelPackageVersion === version);
  if (!pkg?.ModelPackageArn) {
    throw new CliError(
      `unknown version ${version} in ${group}`,
      `known versions: ${list.map((p) => p.ModelPackageVersion).join(', ') || 'none'}`,
    );
  }
  return pkg;
}

export async function modelsShow(ctx: Context, out: Output, group: string, version: number): Promise<void> {
  const pkg = await describe(ctx, await find(ctx, group, version));
  out.result(pkg, () =>
    versionDetail(pkg, [
      `model version ${pkg.modelVersion ?? '-'}, created ${pkg.createdAt ?? '-'}`,
      `package ${pkg.packageUri ?? '-'}`,
      `evaluation ${pkg.evaluationUri ?? '-'}${pkg.metricsError ? ` (unreadable: ${pkg.metricsError})` : ''}`,
      `arn ${pkg.arn}`,
    ]),
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
  const pkg = await find(ctx, group, version);
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

/** Two versions' metrics side by side, and the training inputs whose hashes differ (each package's manifest). */
export async function modelsCompare(
  ctx: Context,
  out: Output,
  group: string,
  a: number,
  b: number,
  o: CompareOptions,
): Promise<void> {
  const [left, right] = [
    await describe(ctx, await find(ctx, group, a)),
    await describe(ctx, await find(ctx, group, b)),
  ];
  const metricsMissing = [left, right].filter((p) => !p.metrics).map((p) => p.version);
  if (metricsMissing.length)
    throw new CliError(
      `no evaluation metrics for version ${metricsMissing.join(' and ')}`,
      'dxops models show N names the evaluation URI and why it could not be read',
    );
  const s3 = new S3Client(clientConfig(ctx));
  const comparison = await compareWithLineage(left, right, o.tolerance, async (p) => {
    if (!p.packageUri) throw new Error(`version ${p.version} has no packageUri`);
    return ((await readJson(s3, `${p.packageUri.replace(/\/$/, '')}/manifest.json`)).lineage ?? []) as Lineage;
  });
  out.result(comparison, () => comparisonText(comparison, o.all));
}
