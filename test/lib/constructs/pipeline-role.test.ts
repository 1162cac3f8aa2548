import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PipelineRole } from '../../../lib/constructs/pipeline-role';
import { FIXTURES } from '../../helpers/platform';

function build(withBuckets = true) {
  const stack = new Stack(undefined, 'Ml', { env: { region: 'eu-west-1', account: '123456789012' } });
  const bucket = new s3.Bucket(stack, 'B');
  new PipelineRole(stack, 'Role', {
    buckets: { read: withBuckets ? [bucket] : [], readWrite: [] },
    key: new kms.Key(stack, 'K'),
    image: new DockerImageAsset(stack, 'Image', { directory: path.join(FIXTURES, 'inference') }),
    modelPackageGroupName: 'dxops-diagnosis-dev',
    pipelineName: 'dxops-dev-training',
  });
  return Template.fromStack(stack);
}

describe('PipelineRole', () => {
  test('is assumed by SageMaker and scoped to pipeline jobs, its group and passing only itself', () => {
    const template = build();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PipelineJobs', Action: Match.arrayWith(['sagemaker:CreateTrainingJob']) }),
          Match.objectLike({ Sid: 'Registry', Action: Match.arrayWith(['sagemaker:CreateModelPackage']) }),
          Match.objectLike({ Sid: 'Experiments', Action: Match.arrayWith(['sagemaker:CreateTrial']) }),
          Match.objectLike({
            Sid: 'VolumeKeyGrants',
            Action: 'kms:CreateGrant',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
          Match.objectLike({
            Sid: 'PassOnlyItself',
            Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
          }),
        ]),
      },
    });
    // ARNs are joined with the partition token: check the resource parts as text.
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const resource of [
      ':sagemaker:eu-west-1:123456789012:processing-job/pipelines-*"',
      ':sagemaker:eu-west-1:123456789012:training-job/pipelines-*"',
      ':sagemaker:eu-west-1:123456789012:model-package-group/dxops-diagnosis-dev"',
      ':sagemaker:eu-west-1:123456789012:model-package/dxops-diagnosis-dev/*"',
    ]) {
      expect(policies).toContain(resource);
    }
  });

  test('rejects a role without any bucket', () => {
    expect(() => build(false)).toThrow(/buckets must name at least one bucket, got none/);
  });
});
