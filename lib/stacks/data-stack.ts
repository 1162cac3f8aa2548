import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { acknowledgeCheckov, acknowledgePlatformWide } from '../compliance';
import type { StageConfig } from '../config';
import { IngestionJob } from '../constructs/ingestion-job';
import { PatientRecordCatalog } from '../constructs/patient-record-catalog';
import { SecureBucket } from '../constructs/secure-bucket';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * The Glue ingestion code: the script (`pipelines/steps/ingest/glue_job.py`) and the packages it imports
   * (`pipelines/steps`).
   * @default - no ingestion job (the catalog and buckets are still created)
   */
  readonly ingestion?: { readonly scriptPath: string; readonly packagesPath: string };
}

/**
 * Stateful data plane: the customer-managed key and the raw, processed, model-artifact and audit buckets.
 * Construct ids here are API (they fix the logical ids of stateful resources): never rename them.
 */
export class DataStack extends Stack {
  public readonly key: kms.Key;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly rawBucket: s3.Bucket;
  public readonly processedBucket: s3.Bucket;
  public readonly artifactsBucket: s3.Bucket;
  public readonly auditBucket: s3.Bucket;
  public readonly catalog: PatientRecordCatalog;
  public readonly ingestion?: IngestionJob;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    acknowledgePlatformWide(this);
    const retain = props.config.retainData;

    this.key = new kms.Key(this, 'DataKey', {
      description: 'DxOps data key: raw, processed, model artifacts and audit records',
      enableKeyRotation: true,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.accessLogsBucket = this.createAccessLogsBucket(retain);
    this.allowAccessLogDelivery();

    const bucket = (name: string, eventBridgeEnabled = false, replicationRules?: s3.ReplicationRule[]) =>
      new SecureBucket(this, name, {
        encryptionKey: this.key,
        serverAccessLogsBucket: this.accessLogsBucket,
        retain,
        eventBridgeEnabled,
        replicationRules,
      }).bucket;
    this.rawBucket = bucket('RawBucket', true);
    this.processedBucket = bucket('ProcessedBucket');
    this.artifactsBucket = bucket('ArtifactsBucket');
    this.auditBucket = bucket('AuditBucket', false, this.feedbackReplication());
    for (const b of [this.rawBucket, this.processedBucket, this.artifactsBucket]) {
      NagSuppressions.addResourceSuppressions(b, [
        {
          id: 'HIPAA.Security-S3BucketReplicationEnabled',
          reason:
            'Single-region deployment; cross-region replication is a per-hospital decision (docs/runbooks/deploy.md).',
        },
      ]);
    }

    // CDK's replication role: object versions of the whole source and destination bucket, and the data key
    NagSuppressions.addResourceSuppressions(
      this.auditBucket.node.findChild('ReplicationRole'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'S3 replication reads object versions in the audit bucket and writes replicas in the raw bucket: object-level ' +
            'ARNs (bucket/*) are how S3 scopes these actions; the rules themselves limit replication to audit/ and feedback/.',
          appliesTo: ['Resource::<AuditBucket78609D59.Arn>/*', 'Resource::<RawBucketF4E29A3F.Arn>/*'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Re-encrypting replicas with the data key needs kms:GenerateDataKey* and kms:ReEncrypt* on that one key only.',
          appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
        },
      ],
      true,
    );
    this.allowGlueLogEncryption();
    this.catalog = new PatientRecordCatalog(this, 'PatientRecords', { processedBucket: this.processedBucket });
    if (props.ingestion !== undefined) {
      this.ingestion = new IngestionJob(this, 'Ingestion', {
        ...props.ingestion,
        rawBucket: this.rawBucket,
        processedBucket: this.processedBucket,
        key: this.key,
        catalog: this.catalog,
        schedule: props.config.ingestionSchedule,
      });
    }
    new CfnOutput(this, 'RawBucketName', {
      value: this.rawBucket.bucketName,
      description: 'Raw zone bucket: DXOPS_RAW_BUCKET for `dxops data upload`',
    });
  }

  /**
   * The service ships its audit and feedback records to the audit bucket (`audit/<task>/…`, `feedback/<task>/…`);
   * S3 copies both prefixes, as they are written, into the raw zone under the same keys, where the next ingestion
   * joins each clinician label with its request's inputs (source `feedback`). Same account, region and key: the
   * records never leave the data key's protection, and deletions are not replicated (an audit trail is kept).
   */
  private feedbackReplication(): s3.ReplicationRule[] {
    return ['audit/', 'feedback/'].map((prefix, i) => ({
      id: `ServiceRecords-${prefix.slice(0, -1)}`,
      destination: this.rawBucket,
      filter: { prefix },
      priority: i + 1,
      sseKmsEncryptedObjects: true,
      kmsKey: this.key,
      deleteMarkerReplication: false,
    }));
  }

  /** The destination of the S3 server access logs of every bucket (SSE-S3: the only encryption S3 logging supports). */
  private createAccessLogsBucket(retain: boolean): s3.Bucket {
    // S3 server access logs can only be delivered to SSE-S3 buckets, not SSE-KMS ones.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(bucket, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log destination; logging it to itself would loop.' },
      { id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: 'Access-log destination bucket; see AwsSolutions-S1.' },
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason: 'S3 server access logging only delivers to SSE-S3 buckets; the logs hold no patient data.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason: 'Access logs are operational data; versioning plus retention is the recovery mechanism.',
      },
    ]);
    acknowledgeCheckov(bucket, [
      { id: 'CKV_AWS_18', comment: 'This is the access-log destination; logging it to itself would loop.' },
    ]);
    return bucket;
  }

  /** Glue encrypts its continuous logs with this key (security configuration, CloudWatch SSE-KMS). */
  private allowGlueLogEncryption(): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:*`,
          },
        },
      }),
    );
  }

  /**
   * Lets S3 deliver server access logs from any bucket of this account under `other-stacks/` (the serving stack's
   * load-balancer log bucket), without a cross-stack bucket-policy edit that would make the stacks depend on
   * each other both ways.
   */
  private allowAccessLogDelivery(): void {
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects('other-stacks/*')],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
  }
}
