import { existsSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as assets from 'aws-cdk-lib/aws-s3-assets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { PatientRecordCatalog } from './patient-record-catalog';

export interface IngestionJobProps {
  /** Path of the PySpark script (`pipelines/steps/ingest/glue_job.py`), uploaded as an asset. */
  readonly scriptPath: string;
  /**
   * Directory of the Python packages the script imports (`pipelines/steps`: `ingest`, `common`), zipped into an
   * asset and passed as `--extra-py-files`. Tests are left out.
   */
  readonly packagesPath: string;
  readonly rawBucket: s3.IBucket;
  readonly processedBucket: s3.IBucket;
  /** Key of the data buckets; also encrypts the job's output, logs and bookmarks. */
  readonly key: kms.IKey;
  readonly catalog: PatientRecordCatalog;
  /** EventBridge cron expression of the scheduled run, e.g. `cron(0 2 * * ? *)`. */
  readonly schedule: string;
  /**
   * Objects landed in the raw bucket that start one event-driven run (or fewer after `batchWindowSeconds`).
   * @default 100
   */
  readonly batchSize?: number;
  /** Seconds an event-driven run waits to batch object arrivals. @default 900 - a bulk upload starts one run */
  readonly batchWindowSeconds?: number;
  /** Number of G.1X workers. @default 2 - the public datasets fit comfortably; raise for hospital volumes */
  readonly workers?: number;
}

/**
 * The Glue ingestion job (PySpark): raw zone → canonical records in the processed zone, bad records to quarantine
 * with a reason, a data-quality report. Job bookmarks make reruns incremental; a security configuration encrypts
 * its S3 output, logs and bookmarks with KMS. Runs when raw objects land (S3 → EventBridge → Glue workflow) and on
 * a schedule.
 */
export class IngestionJob extends Construct {
  public readonly job: glue.CfnJob;
  public readonly jobName: string;
  public readonly role: iam.Role;
  public readonly workflow: glue.CfnWorkflow;

  constructor(scope: Construct, id: string, props: IngestionJobProps) {
    super(scope, id);
    for (const [prop, value] of Object.entries({ scriptPath: props.scriptPath, packagesPath: props.packagesPath })) {
      if (!existsSync(value)) throw new Error(`IngestionJob ${id}: ${prop} does not exist: ${value}`);
    }
    const workers = props.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 2 || workers > 100) {
      throw new Error(`IngestionJob ${id}: workers must be an integer from 2 to 100, got ${workers}`);
    }
    const script = new assets.Asset(this, 'Script', { path: props.scriptPath });
    const packages = new assets.Asset(this, 'Packages', {
      path: props.packagesPath,
      exclude: ['**/tests', '**/__pycache__', '**/*.pyc', '.pytest_cache'],
    });
    this.role = this.createRole(props, [script, packages]);
    const security = new glue.CfnSecurityConfiguration(this, 'SecurityConfiguration', {
      name: `${Stack.of(this).stackName}-ingest`,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: props.key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: props.key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: props.key.keyArn },
      },
    });
    const raw = props.rawBucket.bucketName;
    const processed = props.processedBucket.bucketName;
    this.job = new glue.CfnJob(this, 'Job', {
      description: 'DxOps ingestion: raw zone to canonical patient records, with quarantine and a DQ report',
      role: this.role.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      glueVersion: '5.0',
      workerType: 'G.1X',
      numberOfWorkers: workers,
      timeout: 60,
      maxRetries: 1,
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: security.ref,
      defaultArguments: {
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-metrics': 'true',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-glue-datacatalog': 'true',
        '--extra-py-files': packages.s3ObjectUrl,
        '--raw_uri': `s3://${raw}/`,
        // Reference data lives under reference/ in the raw bucket, as the SageMaker pipeline's ReferenceDataUri
        // expects (pipelines/definition): hpo/, ddxplus/, mappings/ (docs/runbooks/deploy.md).
        '--hpo_uri': `s3://${raw}/reference/hpo/`,
        '--mappings_uri': `s3://${raw}/reference/mappings/`,
        '--processed_uri': props.catalog.tableUri,
        '--quarantine_uri': `s3://${processed}/quarantine/`,
        '--report_uri': `s3://${processed}/reports/ingestion/`,
        '--database': props.catalog.databaseName,
        '--table': props.catalog.tableName,
      },
    });
    this.jobName = this.job.ref;
    this.workflow = this.addTriggers(props);
  }

  private createRole(props: IngestionJobProps, code: assets.Asset[]): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'DxOps Glue ingestion job',
    });
    props.rawBucket.grantRead(role);
    props.processedBucket.grantReadWrite(role);
    for (const asset of code) asset.grantRead(role);
    props.key.grantEncryptDecrypt(role);
    const { partition, region, account } = Stack.of(this);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:BatchCreatePartition',
          'glue:CreatePartition',
          'glue:UpdatePartition',
          'glue:UpdateTable',
        ],
        resources: props.catalog.catalogArns,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
        resources: [`arn:${partition}:glue:${region}:${account}:dataQualityRuleset/*`],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [`arn:${partition}:logs:${region}:${account}:log-group:/aws-glue/*`],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      }),
    );
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Wildcards are object keys inside the project buckets (grantRead/grantReadWrite), the Glue log groups ' +
            '/aws-glue/*, the tables of this database, KMS data-key actions on the one data key, and ' +
            'PutMetricData, which has no resource type (limited to the Glue namespace by condition).',
        },
      ],
      true,
    );
    return role;
  }

  private addTriggers(props: IngestionJobProps): glue.CfnWorkflow {
    const batchSize = props.batchSize ?? 100;
    const batchWindow = props.batchWindowSeconds ?? 900;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) {
      throw new Error(`IngestionJob ${this.node.id}: batchSize must be an integer from 1 to 100, got ${batchSize}`);
    }
    if (!Number.isInteger(batchWindow) || batchWindow < 1 || batchWindow > 900) {
      throw new Error(`IngestionJob ${this.node.id}: batchWindowSeconds must be from 1 to 900, got ${batchWindow}`);
    }
    const workflow = new glue.CfnWorkflow(this, 'OnArrival', {
      description: 'Ingest when raw objects land (S3 Object Created via EventBridge)',
      maxConcurrentRuns: 1,
    });
    new glue.CfnTrigger(this, 'OnArrivalTrigger', {
      type: 'EVENT',
      workflowName: workflow.ref,
      eventBatchingCondition: { batchSize, batchWindow },
      actions: [{ jobName: this.job.ref }],
    });
    new glue.CfnTrigger(this, 'ScheduleTrigger', {
      type: 'SCHEDULED',
      schedule: props.schedule,
      startOnCreation: true,
      actions: [{ jobName: this.job.ref }],
    });
    const { partition, region, account } = Stack.of(this);
    const workflowArn = `arn:${partition}:glue:${region}:${account}:workflow/${workflow.ref}`;
    const eventsRole = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    });
    eventsRole.addToPolicy(new iam.PolicyStatement({ actions: ['glue:notifyEvent'], resources: [workflowArn] }));
    new events.Rule(this, 'RawObjectCreated', {
      description: 'A raw object landed: notify the ingestion workflow',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        // audit/ holds every prediction's audit record, replicated from the audit bucket as the service ships them:
        // they only matter joined with a feedback/ label, so they alone must not start an ingestion every batch
        detail: {
          bucket: { name: [props.rawBucket.bucketName] },
          object: { key: events.Match.anythingButPrefix('audit/') },
        },
      },
      targets: [{ bind: () => ({ arn: workflowArn, role: eventsRole }) }],
    });
    return workflow;
  }
}
