import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InferenceService, type InferenceServiceProps } from '../../../lib/constructs/inference-service';
import { FIXTURES } from '../../helpers/platform';

function build(
  overrides: Partial<InferenceServiceProps> = {},
  signIn?: (stack: Stack) => InferenceServiceProps['signIn'],
) {
  const stack = new Stack(undefined, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const service = new InferenceService(stack, 'Inference', {
    vpc,
    image: ecs.ContainerImage.fromAsset(path.join(FIXTURES, 'inference')),
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
    ),
    environment: { STAGE: 'dev' },
    logKey: new kms.Key(stack, 'Key'),
    serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'access-logs'),
    minCapacity: 2,
    maxCapacity: 4,
    signIn: signIn?.(stack),
    ...overrides,
  });
  return { service, template: Template.fromStack(stack) };
}

describe('InferenceService', () => {
  const { template } = build();

  test('runs ARM64 Fargate tasks in private subnets with the circuit breaker rolling back', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
          Environment: Match.arrayWith([
            { Name: 'STAGE', Value: 'dev' },
            { Name: 'PORT', Value: '8080' },
          ]),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  test('serves HTTPS with a modern TLS policy, redirects HTTP and drops invalid headers', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) }),
      ],
    });
    for (const key of [
      'routing.http.drop_invalid_header_fields.enabled',
      'deletion_protection.enabled',
      'access_logs.s3.enabled',
    ]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([{ Key: key, Value: 'true' }]),
      });
    }
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Port: 8080,
    });
  });

  test('scales between the capacities on CPU and on requests per target', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
        TargetValue: 600,
      }),
    });
  });

  test('without sign-in the HTTPS listener forwards everything to the service', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  });

  test('with sign-in, browsers sign in with Cognito at the load balancer and bearer-token clients pass straight', () => {
    // GIVEN a service whose load balancer signs browsers in
    const { template: t } = build({}, (stack) => {
      const userPool = new cognito.UserPool(stack, 'Pool');
      return {
        userPool,
        client: userPool.addClient('SignIn', {
          generateSecret: true,
          oAuth: { flows: { authorizationCodeGrant: true } },
        }),
        domain: userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: 'dxops-test' } }),
      };
    });
    // THEN the default action authenticates (sending unauthenticated browsers to sign in) and then forwards
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [
        Match.objectLike({
          Type: 'authenticate-cognito',
          Order: 1,
          AuthenticateCognitoConfig: Match.objectLike({
            OnUnauthenticatedRequest: 'authenticate',
            Scope: 'openid email',
          }),
        }),
        Match.objectLike({ Type: 'forward', Order: 2 }),
      ],
    });
    // AND a rule ahead of it forwards requests that bring their own bearer token, which the service verifies
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Authorization', Values: ['Bearer *'] } },
      ],
      Actions: [Match.objectLike({ Type: 'forward' })],
    });
  });

  test('a non-production service has no deletion protection', () => {
    build({ production: false }).template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  test('rejects a maximum below the minimum capacity, naming both', () => {
    expect(() => build({ minCapacity: 3, maxCapacity: 2 })).toThrow(
      /need 1 <= minCapacity <= maxCapacity, got 3 and 2/,
    );
  });
});
