import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IngestionJob, type IngestionJobProps } from '../../../lib/constructs/ingestion-job';
import { PatientRecordCatalog } from '../../../lib/constructs/patient-record-catalog';
import { FIXTURES } from '../../helpers/platform';

function build(overrides: Partial<IngestionJobProps> = {}) {
  const stack = new Stack(undefined, 'Data', { env: { region: 'eu-west-1', account: '123456789012' } });
  const key = new kms.Key(stack, 'Key');
  const processedBucket = new s3.Bucket(stack, 'Processed');
  new IngestionJob(stack, 'Ingestion', {
    scriptPath: path.join(FIXTURES, 'glue_job.py'),
    packagesPath: path.join(FIXTURES, 'steps'),
    rawBucket: new s3.Bucket(stack, 'Raw'),
    processedBucket,
    key,
    catalog: new PatientRecordCatalog(stack, 'Catalog', { processedBucket }),
    schedule: 'cron(0 2 * * ? *)',
    ...overrides,
  });
  return Template.fromStack(stack);
}

describe('IngestionJob', () => {
  const template = build();

  test('runs the script on Glue 5.0 with bookmarks, the step packages and the job arguments', () => {
    template.hasResourceProperties('AWS::Glue::Job', {
      GlueVersion: '5.0',
      Command: Match.objectLike({ Name: 'glueetl', PythonVersion: '3' }),
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      SecurityConfiguration: Match.anyValue(),
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-enable',
        '--extra-py-files': Match.anyValue(),
        '--raw_uri': Match.anyValue(),
        '--hpo_uri': Match.anyValue(),
        '--mappings_uri': Match.anyValue(),
        '--processed_uri': Match.anyValue(),
        '--quarantine_uri': Match.anyValue(),
        '--report_uri': Match.anyValue(),
      }),
    });
  });

  test('encrypts S3 output, logs and bookmarks with the KMS key', () => {
    template.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      EncryptionConfiguration: {
        S3Encryptions: [Match.objectLike({ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: Match.anyValue() })],
        CloudWatchEncryption: Match.objectLike({ CloudWatchEncryptionMode: 'SSE-KMS' }),
        JobBookmarksEncryption: Match.objectLike({ JobBookmarksEncryptionMode: 'CSE-KMS' }),
      },
    });
  });

  test('runs when raw objects land (S3 → EventBridge → Glue workflow) and on the schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [Match.anyValue()] } },
      },
      Targets: [Match.objectLike({ Arn: Match.anyValue(), RoleArn: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'EVENT',
      EventBatchingCondition: { BatchSize: 100, BatchWindow: 900 },
    });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED',
      Schedule: 'cron(0 2 * * ? *)',
      StartOnCreation: true,
    });
  });

  test('rejects a missing script and a bad batch size, naming the prop', () => {
    expect(() => build({ scriptPath: '/nope/glue_job.py' })).toThrow(/scriptPath does not exist: \/nope\/glue_job.py/);
    expect(() => build({ batchSize: 500 })).toThrow(/batchSize must be an integer from 1 to 100, got 500/);
    expect(() => build({ workers: 1 })).toThrow(/workers must be an integer from 2 to 100, got 1/);
  });
});
