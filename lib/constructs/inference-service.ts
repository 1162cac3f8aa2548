import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Actions from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { acknowledgeCheckov } from '../compliance';
import { privateSubnets } from './subnets';

export interface InferenceServiceProps {
  readonly vpc: ec2.IVpc;
  /** The service image (ARM64). */
  readonly image: ecs.ContainerImage;
  /** Certificate of the HTTPS listener. */
  readonly certificate: acm.ICertificate;
  /** Environment of the container (no secrets: the task role gives access to the rest). */
  readonly environment: Record<string, string>;
  /** Key of the container log group. */
  readonly logKey: kms.IKey;
  /** Bucket receiving the server access logs of the load-balancer log bucket (under `other-stacks/`). */
  readonly serverAccessLogsBucket: s3.IBucket;
  /** Task CPU units. @default 512 */
  readonly cpu?: number;
  /** Task memory (MiB). @default 1024 */
  readonly memoryMiB?: number;
  /** @default 1 */
  readonly minCapacity?: number;
  /** @default 2 */
  readonly maxCapacity?: number;
  /** Target CPU utilisation (percent). @default 60 */
  readonly cpuTargetPercent?: number;
  /** Target requests per task per minute. @default 600 */
  readonly requestsPerTarget?: number;
  /** Protect the load balancer and keep its logs on deletion. @default true */
  readonly production?: boolean;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Browser sign-in at the load balancer: a request without an `Authorization: Bearer` header is sent to the
   * pool's sign-in page, and once signed in the load balancer forwards it with the Cognito access token in
   * `x-amzn-oidc-accesstoken`, which the service verifies like a bearer token. Requests that bring their own bearer
   * token (scripts, an EHR) pass straight to the service.
   * @default - no sign-in at the load balancer: every API call needs a bearer token (the page cannot get one)
   */
  readonly signIn?: LoadBalancerSignIn;
}

/** The Cognito pool, confidential app client and domain the load balancer signs browsers in with. */
export interface LoadBalancerSignIn {
  readonly userPool: cognito.IUserPool;
  readonly client: cognito.IUserPoolClient;
  readonly domain: cognito.IUserPoolDomain;
}

/** Port the Fastify service listens on inside the task. */
export const SERVICE_PORT = 8080;

/**
 * The inference service on ECS Fargate (ARM64) in private subnets behind an internet-facing ALB: HTTPS only (modern
 * TLS policy, HTTP redirected), invalid headers dropped, access logs, deployment circuit breaker with rollback, and
 * autoscaling on CPU and request count.
 */
export class InferenceService extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: InferenceServiceProps) {
    super(scope, id);
    const minCapacity = props.minCapacity ?? 1;
    const maxCapacity = props.maxCapacity ?? 2;
    if (!Number.isInteger(minCapacity) || minCapacity < 1 || maxCapacity < minCapacity) {
      throw new Error(
        `InferenceService ${id}: need 1 <= minCapacity <= maxCapacity, got ${minCapacity} and ${maxCapacity}`,
      );
    }
    const production = props.production ?? true;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    this.taskDefinition = this.createTaskDefinition(props, production);
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: minCapacity,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: privateSubnets(props.vpc),
      assignPublicIp: false,
      healthCheckGracePeriod: Duration.seconds(120),
    });
    this.loadBalancer = this.createLoadBalancer(props, production);
    this.targetGroup = this.createListeners(props);
    const scaling = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.cpuTargetPercent ?? 60 });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.requestsPerTarget ?? 600,
      targetGroup: this.targetGroup,
    });
  }

  /**
   * Lets the service read the approved-model parameter and the model packages (objects of the artifacts bucket,
   * decrypted with its key).
   */
  public grantReadModels(parameter: ssm.IStringParameter, artifacts: s3.IBucket, key: kms.IKey): void {
    const role = this.taskDefinition.taskRole;
    parameter.grantRead(role);
    artifacts.grantRead(role);
    key.grantDecrypt(role);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Reads objects of the artifacts bucket (model packages live under per-version prefixes) and puts ' +
            'objects in the audit bucket (one object per record).',
        },
      ],
      true,
    );
  }

  /** Lets the service write audit records (put only: it can neither read nor delete them). */
  public grantWriteAudit(audit: s3.IBucket): void {
    audit.grantPut(this.taskDefinition.taskRole);
  }

  private createTaskDefinition(props: InferenceServiceProps, production: boolean): ecs.FargateTaskDefinition {
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryMiB ?? 1024,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    taskDefinition.addContainer('inference', {
      image: props.image,
      environment: { ...props.environment, PORT: String(SERVICE_PORT), HOST: '0.0.0.0' },
      portMappings: [{ containerPort: SERVICE_PORT }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'inference', logGroup }),
      // The image has no curl; Node 20 has fetch.
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${SERVICE_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
    });
    NagSuppressions.addResourceSuppressions(
      taskDefinition,
      [
        {
          id: 'AwsSolutions-ECS2',
          reason: 'The environment holds only resource names (parameter, bucket, user pool); no secrets.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Execution role: ecr:GetAuthorizationToken, which has no resource type.',
        },
      ],
      true,
    );
    return taskDefinition;
  }

  private createLoadBalancer(props: InferenceServiceProps, production: boolean): elbv2.ApplicationLoadBalancer {
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: production,
    });
    if (!production) {
      NagSuppressions.addResourceSuppressions(loadBalancer, [
        {
          id: 'HIPAA.Security-ELBDeletionProtectionEnabled',
          reason: 'Non-production stage (retainData=false): torn down freely; production has deletion protection on.',
        },
      ]);
    }
    // ALB access logs can only be delivered to SSE-S3 buckets.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'other-stacks/alb-access-logs/',
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    loadBalancer.logAccessLogs(logBucket, 'alb');
    Annotations.of(logBucket).acknowledgeWarning(
      '@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
      'The data stack allows S3 log delivery from this account under other-stacks/ (DataStack.allowAccessLogDelivery).',
    );
    NagSuppressions.addResourceSuppressions(logBucket, [
      { id: 'HIPAA.Security-S3DefaultEncryptionKMS', reason: 'ALB access logs are only delivered to SSE-S3 buckets.' },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason: 'Operational logs; versioning plus retention is the recovery mechanism.',
      },
    ]);
    acknowledgeCheckov(loadBalancer.connections.securityGroups[0], [
      { id: 'CKV_AWS_260', comment: 'Port 80 only answers a redirect to HTTPS (443); no content is served over HTTP.' },
    ]);
    return loadBalancer;
  }

  private createListeners(props: InferenceServiceProps): elbv2.ApplicationTargetGroup {
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    const https = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      // TLS 1.3 and 1.2 with forward-secret AEAD ciphers only (ELBSecurityPolicy-TLS13-1-2-Res-2021-06).
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
      open: true,
    });
    // the construct path `addTargets('Service')` used before, so the target group keeps its logical id
    const targetGroup = new elbv2.ApplicationTargetGroup(https, 'ServiceGroup', {
      vpc: props.vpc,
      port: SERVICE_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: '/readyz', healthyHttpCodes: '200', interval: Duration.seconds(15) },
    });
    if (props.signIn) this.signInAtLoadBalancer(https, targetGroup, props.signIn);
    else https.addTargetGroups('Service', { targetGroups: [targetGroup] });
    NagSuppressions.addResourceSuppressions(
      this.loadBalancer,
      [
        {
          id: 'AwsSolutions-EC23',
          reason:
            'Public clinician endpoint: 443 (and 80, redirected) open to the internet behind AWS WAF and Cognito.',
        },
        {
          id: 'HIPAA.Security-ELBv2ACMCertificateRequired',
          reason:
            'The port-80 listener only answers a redirect to HTTPS; it serves no content and needs no certificate.',
        },
      ],
      true,
    );
    return targetGroup;
  }

  /**
   * Default action: authenticate with Cognito, then forward (the ALB keeps the session in its own cookie and adds
   * `x-amzn-oidc-*` headers). A rule ahead of it forwards requests that carry a bearer token without a sign-in.
   */
  private signInAtLoadBalancer(
    https: elbv2.ApplicationListener,
    targetGroup: elbv2.ApplicationTargetGroup,
    signIn: LoadBalancerSignIn,
  ): void {
    https.addAction('SignIn', {
      action: new elbv2Actions.AuthenticateCognitoAction({
        userPool: signIn.userPool,
        userPoolClient: signIn.client,
        userPoolDomain: signIn.domain,
        scope: 'openid email',
        sessionTimeout: Duration.hours(8),
        onUnauthenticatedRequest: elbv2.UnauthenticatedAction.AUTHENTICATE,
        next: elbv2.ListenerAction.forward([targetGroup]),
      }),
    });
    https.addAction('BearerToken', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.httpHeader('Authorization', ['Bearer *'])],
      action: elbv2.ListenerAction.forward([targetGroup]),
    });
  }
}
