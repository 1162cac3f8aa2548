import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Customer-managed key used for SSE-KMS on every object. */
  readonly encryptionKey: kms.IKey;
  /** Bucket that receives this bucket's server access logs. */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Prefix for the server access logs. @default - the construct id */
  readonly serverAccessLogsPrefix?: string;
  /**
   * Days after which noncurrent object versions expire.
   * @default 90 - keeps three months of history for recovery without keeping every overwrite forever
   */
  readonly noncurrentVersionExpirationDays?: number;
  /** Send this bucket's object events to EventBridge. @default false */
  readonly eventBridgeEnabled?: boolean;
  /** Keep the bucket when the stack is deleted. @default true - clinical data is never deleted by a stack update */
  readonly retain?: boolean;
  /** Objects S3 copies to other buckets as they are written (same-region replication). @default - none */
  readonly replicationRules?: s3.ReplicationRule[];
}

/**
 * An S3 bucket that meets the platform's baseline: SSE-KMS with a customer-managed key, versioned,
 * public access blocked, TLS-only, server access logging and a lifecycle rule for old versions.
 */
export class SecureBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const days = props.noncurrentVersionExpirationDays ?? 90;
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`SecureBucket ${id}: noncurrentVersionExpirationDays must be a positive integer, got ${days}`);
    }
    const retain = props.retain ?? true;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? (props.serverAccessLogsPrefix ?? `${id}/`) : undefined,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(days), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      replicationRules: props.replicationRules,
    });
    if (props.eventBridgeEnabled) {
      // Set on the L1 resource: the L2 `eventBridgeEnabled` deploys a notifications custom resource (a Lambda)
      // where one CloudFormation property is enough.
      const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
      cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
  }
}
