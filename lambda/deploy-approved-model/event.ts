import { InvalidEventError } from '../common/errors';

/** The fields used from a `SageMaker Model Package State Change` event's detail. */
export interface ModelPackageStateChange {
  readonly modelPackageArn: string;
  readonly modelPackageGroupName: string;
  readonly modelPackageVersion: number;
  readonly status: string;
  readonly uri?: string;
}

export interface ModelPackageEvent {
  readonly 'detail-type'?: string;
  readonly source?: string;
  readonly detail?: Record<string, unknown>;
}

/**
 * The S3 prefix of a package: the `packageUri` customer metadata the pipeline's Register step writes (the unpacked
 * package, docs/model-package.md), else an uncompressed `ModelDataSource` prefix, else the `ModelDataUrl`.
 */
export function packageUri(description: Record<string, unknown> | undefined): string | undefined {
  const metadata = description?.CustomerMetadataProperties as Record<string, unknown> | undefined;
  if (typeof metadata?.packageUri === 'string') return metadata.packageUri;
  const spec = description?.InferenceSpecification as { Containers?: Array<Record<string, unknown>> } | undefined;
  const container = spec?.Containers?.[0];
  const source = container?.ModelDataSource as { S3DataSource?: { S3Uri?: string } } | undefined;
  return source?.S3DataSource?.S3Uri ?? (container?.ModelDataUrl as string | undefined);
}

/** Validates the event and extracts what the deployment needs. */
export function parseEvent(event: ModelPackageEvent): ModelPackageStateChange {
  if (event.source !== 'aws.sagemaker' || event['detail-type'] !== 'SageMaker Model Package State Change') {
    throw new InvalidEventError(`not a model package state change: ${event.source}/${event['detail-type']}`);
  }
  const detail = event.detail ?? {};
  const arn = detail.ModelPackageArn;
  const group = detail.ModelPackageGroupName;
  const status = detail.ModelApprovalStatus;
  if (typeof arn !== 'string' || typeof group !== 'string' || typeof status !== 'string') {
    throw new InvalidEventError('detail must have ModelPackageArn, ModelPackageGroupName and ModelApprovalStatus');
  }
  return {
    modelPackageArn: arn,
    modelPackageGroupName: group,
    modelPackageVersion: Number(detail.ModelPackageVersion ?? 0),
    status,
    uri: packageUri(detail),
  };
}
