import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ModelDeployment } from '../../../lib/constructs/model-deployment';

function build(modelPackageGroupName = 'dxops-diagnosis-dev') {
  const stack = new Stack(undefined, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', {
    cluster,
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/dxops/inference',
  });
  new ModelDeployment(stack, 'Deploy', {
    modelPackageGroupName,
    parameter: new ssm.StringParameter(stack, 'Param', { stringValue: 'none' }),
    service,
    cluster,
    artifactsBucket: new s3.Bucket(stack, 'Artifacts'),
    vpc,
    key: new kms.Key(stack, 'Key'),
  });
  return Template.fromStack(stack);
}

describe('ModelDeployment', () => {
  const template = build();

  test('routes model package state changes of the group to the function, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['dxops-diagnosis-dev'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeployFunction'), 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 4 }),
        }),
      ],
    });
  });

  test('bundles the TypeScript handler for ARM64 with one deployment at a time, in the VPC, traced', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      DeadLetterConfig: Match.objectLike({ TargetArn: Match.anyValue() }),
      Environment: {
        Variables: Match.objectLike({
          MODEL_PACKAGE_GROUP_NAME: 'dxops-diagnosis-dev',
          SERVICE_NAME: 'inference',
          MODEL_SSM_PARAMETER: Match.anyValue(),
          ARTIFACTS_BUCKET: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
  });

  test('may update only its service and describe only packages of its group', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: Match.anyValue() }),
          Match.objectLike({
            Action: 'ecs:UpdateService',
            Resource: 'arn:aws:ecs:eu-west-1:123456789012:service/dxops/inference',
          }),
        ]),
      },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain(
      ':model-package/dxops-diagnosis-dev/*',
    );
  });

  test('rejects an invalid group name, naming it', () => {
    expect(() => build('bad_name!')).toThrow(/modelPackageGroupName is not a valid group name, got "bad_name!"/);
  });
});
