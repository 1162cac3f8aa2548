import { Match, Template } from 'aws-cdk-lib/assertions';
import { toSageMakerPipeline } from '../../../pipelines/definition';
import { nagFindings } from '../../helpers/nag';
import { fixturePlatform } from '../../helpers/platform';

describe('MlStack', () => {
  const { ml } = fixturePlatform('prod');
  const template = Template.fromStack(ml);

  test('has the model package group, the pipeline, the jobs security group and one role', () => {
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
    template.resourceCountIs('AWS::SageMaker::Pipeline', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'dxops-diagnosis-prod',
    });
  });

  test('renders the pipeline definition with the role, image, buckets, key, group and private subnets', () => {
    template.hasResourceProperties('AWS::SageMaker::Pipeline', {
      PipelineName: 'dxops-prod-training',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('PipelineRole'), 'Arn'] },
      PipelineDefinition: { PipelineDefinitionBody: Match.anyValue() },
    });
    const body = JSON.stringify(Object.values(template.findResources('AWS::SageMaker::Pipeline'))[0].Properties);
    for (const text of [
      '"Version\\":\\"2020-12-01',
      'imageUri',
      'dxops-diagnosis-prod',
      'subnetIds',
      'ml.m5.xlarge',
      'kmsKeyId',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).toContain('ExportsOutputFnGetAttDataKey17AFBB84Arn');
    expect(body).toContain('ExportsOutputRefVpcprivateSubnet3');
  });

  test('renders the real pipeline definition: KMS volumes and outputs, VPC jobs, registration into the group', () => {
    // GIVEN the definition from pipelines/definition instead of the echo fixture
    const real = Template.fromStack(fixturePlatform('prod', {}, { pipelineDefinition: toSageMakerPipeline }).ml);
    // THEN
    const body = JSON.stringify(Object.values(real.findResources('AWS::SageMaker::Pipeline'))[0].Properties);
    for (const text of [
      'VolumeKmsKeyId',
      'ProcessingOutputConfig',
      'VpcConfig',
      'RegisterModel',
      'ModelApprovalStatus',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).toContain('ExportsOutputFnGetAttDataKey17AFBB84Arn');
    expect(body).toContain('dxops-diagnosis-prod');
  });

  test('jobs may only send HTTPS', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
  });

  test('outputs the pipeline and model package group names the CLI reads from the environment', () => {
    template.hasOutput('PipelineName', {
      Value: 'dxops-prod-training',
      Description: Match.stringLikeRegexp('DXOPS_PIPELINE_NAME'),
    });
    template.hasOutput('ModelPackageGroupName', {
      Value: 'dxops-diagnosis-prod',
      Description: Match.stringLikeRegexp('DXOPS_MODEL_PACKAGE_GROUP'),
    });
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(ml)).toEqual({ errors: [], warnings: [] });
  });
});
