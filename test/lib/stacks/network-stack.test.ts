import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStageConfig } from '../../../lib/config';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { nagFindings } from '../../helpers/nag';
import { fixtureApp } from '../../helpers/platform';

function synth(stage = 'prod', natGateways?: number) {
  const stack = new NetworkStack(fixtureApp(), 'Network', {
    config: buildStageConfig(stage, { network: { natGateways } }),
    env: { region: 'eu-west-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('NetworkStack', () => {
  const { stack, template } = synth();

  test('one VPC with public and private subnets in three AZs, two NAT gateways and flow logs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16' });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
  });

  test('S3 gateway endpoint and interface endpoints for ECR, ECR Docker, Logs, SSM and STS, reachable from the VPC only', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 6);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'ssm', 'sts']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        ServiceName: Match.stringLikeRegexp(`\\.${service.replace('.', '\\.')}$`),
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.40.0.0/16', FromPort: 443, ToPort: 443 })],
    });
  });

  test('public subnets do not assign public IPs', () => {
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets.every((s) => s.Properties.MapPublicIpOnLaunch !== true)).toBe(true);
  });

  test('without NAT the private subnets are isolated and the Lambda and SageMaker APIs get endpoints too', () => {
    const isolated = synth('dev', 0).template;
    isolated.resourceCountIs('AWS::EC2::NatGateway', 0);
    isolated.resourceCountIs('AWS::EC2::VPCEndpoint', 8);
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual({ errors: [], warnings: [] });
  });
});
