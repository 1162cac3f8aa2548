import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStageConfig } from '../../../lib/config';
import { DataStack } from '../../../lib/stacks/data-stack';
import { nagFindings } from '../../helpers/nag';

function synth(stage = 'prod') {
  const app = new App();
  const stack = new DataStack(app, 'Data', { config: buildStageConfig(stage) });
  return { stack, template: Template.fromStack(stack) };
}

describe('DataStack', () => {
  test('has one rotating key and five buckets', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourceCountIs('AWS::S3::Bucket', 5);
  });

  test('stateful logical ids are stable (renaming them would replace data)', () => {
    const { template } = synth();
    const ids = Object.keys(template.findResources('AWS::S3::Bucket')).sort();
    expect(ids).toEqual([
      'AccessLogsBucket83982689',
      'ArtifactsBucket454C14F5',
      'AuditBucket78609D59',
      'ProcessedBucket09D24254',
      'RawBucketF4E29A3F',
    ]);
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual(['DataKey17AFBB84']);
  });

  test('dev does not retain data on deletion, prod does', () => {
    expect(JSON.stringify(synth('dev').template.toJSON())).toContain('"DeletionPolicy":"Delete"');
    expect(JSON.stringify(synth('prod').template.toJSON())).not.toContain('"DeletionPolicy":"Delete"');
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged errors', () => {
    const { stack } = synth();
    expect(nagFindings(stack).errors).toEqual([]);
  });
});
