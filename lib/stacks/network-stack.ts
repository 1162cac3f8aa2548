import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { acknowledgeCheckov, acknowledgePlatformWide } from '../compliance';
import type { StageConfig } from '../config';
import { OpsKey } from '../constructs/ops-key';

export interface NetworkStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The VPC shared by the inference service, the approval Lambda and the SageMaker jobs: public subnets for the
 * load balancer and NAT only, private subnets for everything else, VPC endpoints so AWS API traffic stays
 * inside the VPC, and flow logs. With `network.vpcId` the existing VPC is used as is (it must provide the
 * endpoints; see docs/infrastructure.md).
 */
export class NetworkStack extends Stack {
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    acknowledgePlatformWide(this);
    const { network } = props.config;
    if (network.vpcId !== undefined) {
      this.vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: network.vpcId });
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(network.vpcCidr!),
      // Named zones, not `maxAzs`: a lookup would need credentials at synth, and an environment-agnostic synth
      // would fall back to two zones. Zones a-c exist in the platform's regions (not in us-west-1: use vpcId there).
      availabilityZones: ['a', 'b', 'c'].slice(0, network.maxAzs).map((zone) => `${props.config.region}${zone}`),
      natGateways: network.natGateways,
      subnetConfiguration: [
        // Only the load balancer and the NAT gateways live here; neither needs auto-assigned public IPs.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        {
          name: 'private',
          subnetType: network.natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: 20,
        },
      ],
      restrictDefaultSecurityGroup: true,
    });
    this.vpc = vpc;
    this.addFlowLogs(vpc, props.config);
    this.addEndpoints(vpc, network.vpcCidr!, network.natGateways === 0);
    for (const subnet of vpc.publicSubnets) {
      NagSuppressions.addResourceSuppressions(
        subnet,
        [
          {
            id: 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
            reason:
              'Public subnets hold only the internet-facing ALB (behind WAF) and the NAT gateways, which need it.',
          },
        ],
        true,
      );
    }
    this.acknowledgeDefaultSecurityGroupProvider();
  }

  /** The CDK provider that closes the default security group is AWS-owned code run by CloudFormation. */
  private acknowledgeDefaultSecurityGroupProvider(): void {
    const provider = this.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler');
    if (handler) {
      const reason =
        'CDK-managed custom resource provider that closes the default security group, run by CloudFormation';
      acknowledgeCheckov(handler, [
        { id: 'CKV_AWS_115', comment: `${reason}: one invocation per deployment.` },
        { id: 'CKV_AWS_116', comment: `${reason}: CloudFormation retries and reports failures.` },
        { id: 'CKV_AWS_117', comment: `${reason}: it calls only the EC2 API.` },
      ]);
    }
    NagSuppressions.addResourceSuppressionsByPath(
      this,
      `/${this.node.path}/Custom::VpcRestrictDefaultSGCustomResourceProvider`,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK-managed provider that closes the default security group; AWS-owned code.',
        },
        {
          id: 'HIPAA.Security-LambdaDLQ',
          reason: 'CloudFormation custom resource provider: CloudFormation retries it.',
        },
        { id: 'HIPAA.Security-LambdaConcurrency', reason: 'Runs once per deployment from CloudFormation.' },
        { id: 'HIPAA.Security-LambdaInsideVPC', reason: 'It manages the VPC itself and only calls the EC2 API.' },
      ],
      true,
    );
  }

  private addFlowLogs(vpc: ec2.Vpc, config: StageConfig): void {
    const key = new OpsKey(this, 'LogsKey', {
      purpose: 'network logs',
      retain: config.retainData,
    }).allowCloudWatchLogs();
    const logGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: key.key,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  private addEndpoints(vpc: ec2.Vpc, cidr: string, isolated: boolean): void {
    const subnets = { subnetGroupName: 'private' };
    vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [subnets] });
    const services: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
      Ecr: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
      Sts: ec2.InterfaceVpcEndpointAwsService.STS,
    };
    if (isolated) {
      // Without NAT, the approval Lambda and the SageMaker jobs reach these APIs only through endpoints.
      services.SageMakerApi = ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API;
      services.Ecs = ec2.InterfaceVpcEndpointAwsService.ECS;
    }
    for (const [name, service] of Object.entries(services)) {
      const endpoint = vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        subnets,
        privateDnsEnabled: true,
        open: false,
      });
      // HTTPS from inside the VPC only (the configured CIDR, not a token, so cdk-nag can check the rule).
      endpoint.connections.allowFrom(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    }
  }
}
