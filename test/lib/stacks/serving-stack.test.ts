import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildStageConfig } from '../../../lib/config';
import { modelParameterName, ServingStack } from '../../../lib/stacks/serving-stack';
import { nagFindings } from '../../helpers/nag';
import { FIXTURES, fixtureApp, fixturePlatform } from '../../helpers/platform';

describe('ServingStack', () => {
  const { serving } = fixturePlatform('prod', { domain: { domainName: 'dxops.hospital.example' } });
  const template = Template.fromStack(serving);

  test('has the service, load balancer, firewall, user pool, parameter and approval function', () => {
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::ECS::Service', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::SSM::Parameter', 1);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
  });

  test('outputs the HTTPS URL and starts the model parameter at none', () => {
    template.hasOutput('ServiceUrl', { Value: 'https://dxops.hospital.example' });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: modelParameterName('prod'),
      Value: 'none',
      Type: 'String',
    });
  });

  test('the container learns its parameter, bucket and token issuer from the environment', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'MODEL_SSM_PARAMETER', Value: { Ref: Match.stringLikeRegexp('ApprovedModelUri') } },
            Match.objectLike({ Name: 'COGNITO_ISSUER' }),
            { Name: 'METRICS_NAMESPACE', Value: 'DxOps/Inference' },
          ]),
        }),
      ],
    });
  });

  test('the task may read model packages and only put audit records', () => {
    const [policyId] = Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('TaskRole'));
    const policy = JSON.stringify(template.toJSON().Resources[policyId].Properties.PolicyDocument);
    expect(policy).toContain('ExportsOutputFnGetAttArtifactsBucket');
    expect(policy).toContain(
      '{"Action":["s3:Abort*","s3:PutObject","s3:PutObjectLegalHold","s3:PutObjectRetention","s3:PutObjectTagging",' +
        '"s3:PutObjectVersionTagging"],"Effect":"Allow","Resource":{"Fn::Join":["",[{"Fn::ImportValue":' +
        '"DxOps-prod-Data:ExportsOutputFnGetAttAuditBucket',
    );
    expect(policy).not.toMatch(/s3:DeleteObject/);
  });

  test('approval rule → deploy-approved-model Lambda (wiring)', () => {
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['dxops-diagnosis-prod'] },
      }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
    });
  });

  test('every log group and queue is KMS-encrypted', () => {
    for (const [type, property] of [
      ['AWS::Logs::LogGroup', 'KmsKeyId'],
      ['AWS::SQS::Queue', 'KmsMasterKeyId'],
    ]) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.Properties[property]).toBeDefined();
      }
    }
  });

  test('an existing certificate replaces the DNS-validated one; a hosted zone adds the alias record', () => {
    const withArn = fixturePlatform('dev', {
      domain: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' },
    });
    Template.fromStack(withArn.serving).resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const withZone = fixturePlatform('dev', {
      domain: { domainName: 'dxops.hospital.example', hostedZoneId: 'Z0123ABCDEF', hostedZoneName: 'hospital.example' },
    });
    const zoneTemplate = Template.fromStack(withZone.serving);
    zoneTemplate.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainValidationOptions: [{ DomainName: 'dxops.hospital.example', HostedZoneId: 'Z0123ABCDEF' }],
    });
    zoneTemplate.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'dxops.hospital.example.', Type: 'A' });
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(serving)).toEqual({ errors: [], warnings: [] });
  });

  test('refuses an image directory without a Dockerfile instead of deploying a placeholder', () => {
    const app = fixtureApp();
    expect(
      () =>
        new ServingStack(app, 'Serving', {
          config: buildStageConfig('dev'),
          vpc: new ec2.Vpc(new Stack(app, 'Net'), 'Vpc'),
          data: fixturePlatform('dev').data,
          imageDirectory: FIXTURES,
        }),
    ).toThrow(/imageDirectory has no Dockerfile: .*fixtures/);
  });

  test('dev (no deletion protection) is acknowledged too, so `cdk synth` of both stages passes', () => {
    expect(nagFindings(fixturePlatform('dev').serving)).toEqual({ errors: [], warnings: [] });
  });
});
