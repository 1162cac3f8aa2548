import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStageConfig } from '../../../lib/config';
import { DataStack } from '../../../lib/stacks/data-stack';
import { nagFindings } from '../../helpers/nag';
import { FIXTURES, fixtureApp } from '../../helpers/platform';

function synth(stage = 'prod') {
  const stack = new DataStack(fixtureApp(), 'Data', {
    config: buildStageConfig(stage),
    env: { region: 'eu-west-1' },
    ingestion: { scriptPath: path.join(FIXTURES, 'glue_job.py'), packagesPath: path.join(FIXTURES, 'steps') },
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('DataStack', () => {
  const { stack, template } = synth();

  test('has one rotating key, five buckets and the Glue catalog, job, triggers and ruleset', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourceCountIs('AWS::S3::Bucket', 5);
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.resourceCountIs('AWS::Glue::Table', 1);
    template.resourceCountIs('AWS::Glue::Job', 1);
    template.resourceCountIs('AWS::Glue::SecurityConfiguration', 1);
    template.resourceCountIs('AWS::Glue::DataQualityRuleset', 1);
    template.resourceCountIs('AWS::Glue::Workflow', 1);
    template.resourceCountIs('AWS::Glue::Trigger', 2);
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('stateful logical ids are stable (renaming them would replace data)', () => {
    const ids = Object.keys(template.findResources('AWS::S3::Bucket')).sort();
    expect(ids).toEqual([
      'AccessLogsBucket83982689',
      'ArtifactsBucket454C14F5',
      'AuditBucket78609D59',
      'ProcessedBucket09D24254',
      'RawBucketF4E29A3F',
    ]);
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual(['DataKey17AFBB84']);
    expect(Object.keys(template.findResources('AWS::Glue::Database'))).toEqual(['PatientRecordsDatabase02168830']);
    expect(Object.keys(template.findResources('AWS::Glue::Table'))).toEqual(['PatientRecordsTableB429C885']);
  });

  test('every data bucket is SSE-KMS with the data key; the raw bucket sends events to EventBridge', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const kmsBuckets = Object.entries(buckets).filter(([id]) => id !== 'AccessLogsBucket83982689');
    for (const [, bucket] of kmsBuckets) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] },
        },
      });
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  test('the access-log bucket accepts S3 log delivery from other stacks of the account under other-stacks/', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'AccessLogsBucket83982689' },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  test('dev does not retain data on deletion, prod does', () => {
    expect(JSON.stringify(synth('dev').template.toJSON())).toContain('"DeletionPolicy":"Delete"');
    expect(JSON.stringify(template.toJSON())).not.toContain('"DeletionPolicy":"Delete"');
  });

  test("the service's audit and feedback records are replicated into the raw zone, re-encrypted with the data key", () => {
    const rule = (prefix: string, priority: number) => ({
      Filter: { Prefix: prefix },
      Priority: priority,
      Status: 'Enabled',
      Destination: {
        Bucket: { 'Fn::GetAtt': ['RawBucketF4E29A3F', 'Arn'] },
        EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] } },
      },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      // deleting an audit record in the audit bucket must not delete the raw zone's copy
      DeleteMarkerReplication: { Status: 'Disabled' },
    });
    const audit = template.findResources('AWS::S3::Bucket').AuditBucket78609D59;
    expect(audit.Properties.ReplicationConfiguration.Rules).toEqual([
      expect.objectContaining(rule('audit/', 1)),
      expect.objectContaining(rule('feedback/', 2)),
    ]);
    // no other bucket replicates
    const replicating = Object.entries(template.findResources('AWS::S3::Bucket')).filter(
      ([, b]) => b.Properties.ReplicationConfiguration !== undefined,
    );
    expect(replicating.map(([id]) => id)).toEqual(['AuditBucket78609D59']);
  });

  test('a replicated audit record alone does not start an ingestion; any other raw object does', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: 'RawBucketF4E29A3F' }] },
          object: { key: [{ 'anything-but': { prefix: 'audit/' } }] },
        },
      },
    });
  });

  test('outputs the raw bucket name the CLI reads as DXOPS_RAW_BUCKET', () => {
    template.hasOutput('RawBucketName', {
      Value: { Ref: 'RawBucketF4E29A3F' },
      Description: Match.stringLikeRegexp('DXOPS_RAW_BUCKET'),
    });
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual({ errors: [], warnings: [] });
  });
});
