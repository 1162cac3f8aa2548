import { AppError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ModelPackageStateChange } from './event';

/** Value of the parameter when no package is approved: the service then serves nothing (readyz fails). */
export const NO_MODEL = 'none';

export interface ApprovedPackage {
  readonly arn: string;
  readonly version: number;
  readonly uri: string | undefined;
}

/** The model registry: the newest approved packages of a group, newest first. */
export interface ModelRegistry {
  latestApproved(groupName: string, limit: number): Promise<ApprovedPackage[]>;
}

/** The SSM parameter the inference service polls. */
export interface ApprovedModelParameter {
  get(): Promise<string>;
  put(uri: string): Promise<void>;
}

/** The ECS service that serves the model. */
export interface ServiceDeployer {
  forceNewDeployment(): Promise<void>;
}

export interface DeployDeps {
  readonly registry: ModelRegistry;
  readonly parameter: ApprovedModelParameter;
  readonly service: ServiceDeployer;
  /** Packages must live in this bucket: a registry entry pointing elsewhere is never deployed. */
  readonly artifactsBucket: string;
  /** The group this function deploys from (the rule filters on it too). */
  readonly modelPackageGroupName: string;
  readonly log: Logger;
}

export type DeployOutcome =
  | { readonly action: 'deployed'; readonly uri: string; readonly modelPackageArn: string | undefined }
  | { readonly action: 'unchanged'; readonly uri: string };

/** An approved package whose URI is missing or outside the artifacts bucket. */
export class UntrustedPackageError extends AppError {
  constructor(arn: string, uri: string | undefined) {
    super('UNTRUSTED_PACKAGE', `model package ${arn} has artifact ${uri ?? '(none)'} outside the artifacts bucket`);
  }
}

/** The event belongs to another model package group. */
export class ForeignGroupError extends AppError {
  constructor(group: string) {
    super('FOREIGN_GROUP', `model package group ${group} is not deployed by this function`);
  }
}

/**
 * Makes the service serve the newest approved package of the group, as the embedded registry does
 * (docs/model-package.md). Approving a new version deploys it; rejecting the served version falls back to the
 * previous approved one; rejecting the last approved version leaves `none`. Idempotent: a repeated event is a no-op.
 */
export async function deployApprovedModel(change: ModelPackageStateChange, deps: DeployDeps): Promise<DeployOutcome> {
  if (change.modelPackageGroupName !== deps.modelPackageGroupName)
    throw new ForeignGroupError(change.modelPackageGroupName);
  const target = await newestApproved(change, deps);
  if (target && !isInBucket(target.uri, deps.artifactsBucket)) throw new UntrustedPackageError(target.arn, target.uri);
  const uri = target?.uri ?? NO_MODEL;
  const current = await deps.parameter.get();
  if (current === uri) {
    deps.log.info('served model unchanged', { uri, status: change.status, modelPackageArn: change.modelPackageArn });
    return { action: 'unchanged', uri };
  }
  await deps.parameter.put(uri);
  await deps.service.forceNewDeployment();
  deps.log.info('deployed model', { uri, previous: current, trigger: change.status, modelPackageArn: target?.arn });
  return { action: 'deployed', uri, modelPackageArn: target?.arn };
}

/**
 * The registry listing is eventually consistent with the event: an approval may not be listed yet and a rejection
 * may still be listed, so the event's own package is added or removed before choosing.
 */
async function newestApproved(change: ModelPackageStateChange, deps: DeployDeps): Promise<ApprovedPackage | undefined> {
  const listed = (await deps.registry.latestApproved(change.modelPackageGroupName, 2)).filter(
    (p) => p.arn !== change.modelPackageArn,
  );
  if (change.status === 'Approved') {
    listed.push({ arn: change.modelPackageArn, version: change.modelPackageVersion, uri: change.uri });
  }
  return listed.sort((a, b) => b.version - a.version)[0];
}

function isInBucket(uri: string | undefined, bucket: string): uri is string {
  return uri?.startsWith(`s3://${bucket}/`) === true;
}
